using System.Globalization;
using System.Text;

namespace Builder.Core.Provenance;

/// <summary>
/// DSSE's pre-authentication encoding, the bytes actually signed:
/// <c>"DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload</c>, lengths as ASCII decimal byte counts. Binding the
/// type and both lengths into the signature means neither can be changed or shifted without breaking it.
/// </summary>
public static class DssePae
{
    public static byte[] Encode(string payloadType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        var type = Encoding.UTF8.GetBytes(payloadType);
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} "));
        var middle = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {payload.Length} "));
        var pae = new byte[head.Length + type.Length + middle.Length + payload.Length];
        head.CopyTo(pae, 0);
        type.CopyTo(pae, head.Length);
        middle.CopyTo(pae, head.Length + type.Length);
        payload.CopyTo(pae.AsSpan(head.Length + type.Length + middle.Length));
        return pae;
    }
}
