using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Builder.Cli.Client;

/// <summary>The daemon's HTTP API as the CLI uses it. HTTP errors become <see cref="CliException"/> with a stable exit code.</summary>
internal sealed class BuilderClient(HttpClient http) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static BuilderClient Create(Uri baseUrl) =>
        new(new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) });

    public async Task<RequestAcceptedView> PostRequestAsync(string request, string signature, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.PostAsJsonAsync("api/v1/requests", new { request, signature }, Json, cancellationToken));
        return await ReadAsync<RequestAcceptedView>(response, cancellationToken);
    }

    public async Task<string> GetRawAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.GetAsync(path, cancellationToken));
        await ThrowIfErrorAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.GetAsync(path, cancellationToken));
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>GETs a text stream and copies it to <paramref name="output"/> as it arrives; returns X-Build-State and the bytes read.</summary>
    public async Task<(string State, long Bytes)> StreamAsync(string path, TextWriter output, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken));
        await ThrowIfErrorAsync(response, cancellationToken);
        var state = response.Headers.TryGetValues("X-Build-State", out var values) ? values.First() : "";
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var decoder = System.Text.Encoding.UTF8.GetDecoder();
        var bytes = new byte[16 * 1024];
        var chars = new char[System.Text.Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(bytes, cancellationToken)) > 0)
        {
            total += n;
            var c = decoder.GetChars(bytes, 0, n, chars, 0);
            await output.WriteAsync(chars.AsMemory(0, c), cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
        return (state, total);
    }

    public void Dispose() => http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException ex)
        {
            throw new CliException(ExitCode.Unreachable, $"cannot reach {http.BaseAddress}: {ex.Message}");
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            throw new CliException(ExitCode.Unreachable, $"{http.BaseAddress} did not answer within {http.Timeout.TotalSeconds:0} s");
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await ThrowIfErrorAsync(response, cancellationToken);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                ?? throw new CliException(ExitCode.ServerError, "the server sent an empty answer");
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCode.ServerError, $"the server's answer is not the expected JSON: {ex.Message}");
        }
    }

    private static async Task ThrowIfErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        ErrorView? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync<ErrorView>(Json, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // Not our JSON (a proxy's error page): report the status alone.
        }
        var code = response.StatusCode switch
        {
            HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge => ExitCode.Malformed,
            HttpStatusCode.Unauthorized => ExitCode.Unauthorized,
            HttpStatusCode.Forbidden => ExitCode.Forbidden,
            HttpStatusCode.NotFound => ExitCode.NotFound,
            HttpStatusCode.Conflict => ExitCode.Conflict,
            HttpStatusCode.UnprocessableEntity => ExitCode.Policy,
            _ => ExitCode.ServerError,
        };
        var message = error?.Message is { Length: > 0 } m ? m : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        throw new CliException(code, $"{(int)response.StatusCode} {error?.Error ?? response.ReasonPhrase}: {message}");
    }
}
