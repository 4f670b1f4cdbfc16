namespace Builder.Daemon.Hosting;

/// <summary>The <c>Http</c> configuration section.</summary>
internal sealed class HttpApiOptions
{
    public const string Section = "Http";

    /// <summary>Kestrel listen URLs, e.g. <c>http://127.0.0.1:8600</c> (put TLS in front with a reverse proxy or Kestrel certificates).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8600";

    /// <summary>Largest accepted body of <c>POST /api/v1/requests</c>, in bytes (the request text itself is capped at 4 KiB).</summary>
    public int MaxRequestBodyBytes { get; set; } = 16 * 1024;

    /// <summary>How far a request's <c>issued</c> time may be from the server's clock, either way.</summary>
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Base URL of the web pages, used in links (notification mail, hooks' BUILDER_WEB_URL).</summary>
    public string? PublicUrl { get; set; }
}
