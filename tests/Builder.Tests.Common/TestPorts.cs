using System.Net;
using System.Net.Sockets;

namespace Builder.Tests.Common;

/// <summary>Loopback ports for servers a test starts itself.</summary>
public static class TestPorts
{
    /// <summary>A loopback port that was free a moment ago; nothing listens on it until the test starts something there.</summary>
    public static int Unused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
