using System.Globalization;
using System.Text;

namespace Builder.Vm.Output;

/// <summary>
/// The records of one PAX header ("LEN key=value\n", LEN counting the whole record), read strictly: they must fill the
/// header's data exactly. Only <c>path</c> and <c>size</c> matter here: they name the entry and place the next header.
/// </summary>
internal sealed class PaxRecords
{
    public string? Path { get; private set; }

    public string? Size { get; private set; }

    /// <summary>The records of <paramref name="data"/>; null with <paramref name="problem"/> ("record 2: …") when one is malformed.</summary>
    public static PaxRecords? Parse(ReadOnlySpan<byte> data, out string? problem)
    {
        var records = new PaxRecords();
        var number = 0;
        while (!data.IsEmpty)
        {
            number++;
            if (ParseOne(data, records, out var length) is { } error)
            {
                problem = $"record {number}: {error}";
                return null;
            }
            data = data[length..];
        }
        problem = null;
        return records;
    }

    private static string? ParseOne(ReadOnlySpan<byte> data, PaxRecords records, out int length)
    {
        length = 0;
        var space = data[..Math.Min(data.Length, 12)].IndexOf((byte)' ');
        var digits = space < 0 ? data[..Math.Min(data.Length, 12)] : data[..space];
        if (space <= 0 || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out length))
        {
            return $"length '{OutputExtractor.Printable(Encoding.UTF8.GetString(digits), 20)}' is not a decimal number";
        }
        // The shortest record is "LEN k=\n".
        if (length < space + 4)
        {
            return $"length {length} is too short for 'key=value'";
        }
        if (length > data.Length)
        {
            return $"length {length} runs past the header's {data.Length} bytes";
        }
        var record = data[(space + 1)..length];
        if (record[^1] != (byte)'\n')
        {
            return "does not end in a newline";
        }
        var equals = record.IndexOf((byte)'=');
        if (equals < 0)
        {
            return "has no '=' after its key";
        }
        if (equals == 0)
        {
            return "has an empty key";
        }
        var key = record[..equals];
        var value = record[(equals + 1)..^1];
        if (key.SequenceEqual("path"u8))
        {
            records.Path = Encoding.UTF8.GetString(value);
        }
        else if (key.SequenceEqual("size"u8))
        {
            records.Size = Encoding.UTF8.GetString(value);
        }
        return null;
    }
}
