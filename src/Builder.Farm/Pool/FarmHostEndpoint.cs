using System.Globalization;
using System.Text.RegularExpressions;

namespace Builder.Farm.Pool;

/// <summary>One <c>Farm:Hosts</c> entry, <c>host:port/slots</c>.</summary>
internal sealed partial record FarmHostEndpoint(string Host, int Port, int Slots)
{
    public string Name => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string text, out FarmHostEndpoint? endpoint, out string error)
    {
        endpoint = null;
        var m = Spec().Match(text);
        if (!m.Success)
        {
            error = $"'{text}' is not host:port/slots (e.g. 10.1.0.5:3632/8)";
            return false;
        }
        if (!int.TryParse(m.Groups["port"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"'{text}': port must be 1..65535";
            return false;
        }
        if (!int.TryParse(m.Groups["slots"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var slots) || slots is < 1 or > 1024)
        {
            error = $"'{text}': slots must be 1..1024";
            return false;
        }
        endpoint = new FarmHostEndpoint(m.Groups["host"].Value, port, slots);
        error = "";
        return true;
    }

    [GeneratedRegex(@"^(?<host>[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\]):(?<port>[0-9]{1,5})/(?<slots>[0-9]{1,4})$", RegexOptions.CultureInvariant)]
    private static partial Regex Spec();
}
