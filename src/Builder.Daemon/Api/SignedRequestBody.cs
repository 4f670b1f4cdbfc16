using System.Text.Json;

namespace Builder.Daemon.Api;

/// <summary>The JSON body of <c>POST /api/v1/requests</c>: exactly <c>{"request": "...", "signature": "..."}</c>.</summary>
internal sealed record SignedRequestBody(string Request, string Signature)
{
    /// <summary>Strict: an object with exactly those two string members; anything else is an error naming the member.</summary>
    public static SignedRequestBody Parse(byte[] utf8, out string? error)
    {
        error = null;
        try
        {
            using var doc = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 4 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "body: expected a JSON object {\"request\": ..., \"signature\": ...}";
                return null!;
            }
            string? request = null, signature = null;
            foreach (var member in doc.RootElement.EnumerateObject())
            {
                switch (member.Name)
                {
                    case "request" when request is null && member.Value.ValueKind == JsonValueKind.String:
                        request = member.Value.GetString();
                        break;
                    case "signature" when signature is null && member.Value.ValueKind == JsonValueKind.String:
                        signature = member.Value.GetString();
                        break;
                    case "request" or "signature":
                        error = $"body: member '{member.Name}' must be a string and appear once";
                        return null!;
                    default:
                        error = $"body: unknown member '{member.Name}' (only 'request' and 'signature' are allowed)";
                        return null!;
                }
            }
            if (request is null || signature is null)
            {
                error = $"body: member '{(request is null ? "request" : "signature")}' is missing";
                return null!;
            }
            return new SignedRequestBody(request, signature);
        }
        catch (JsonException ex)
        {
            error = $"body: not valid JSON ({ex.Message})";
            return null!;
        }
    }
}
