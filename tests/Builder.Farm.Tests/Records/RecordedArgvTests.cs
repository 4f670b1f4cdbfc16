using Builder.Farm.Records;

namespace Builder.Farm.Tests.Records;

public sealed class RecordedArgvTests
{
    [Fact]
    public void An_argv_within_the_cap_is_stored_as_it_is()
    {
        string[] argv = ["gcc", "-c", "a.c"];

        Assert.Same(argv, RecordedArgv.Cap(argv, 1024));
    }

    [Fact]
    public void A_client_argv_of_512_arguments_of_4_KiB_is_cut_to_the_cap_with_a_marker_naming_the_bytes_left_out()
    {
        var argv = Enumerable.Range(0, 512).Select(i => new string((char)('a' + (i % 26)), 4096)).ToArray();

        var stored = RecordedArgv.Cap(argv, 16 * 1024);

        Assert.Equal(5, stored.Count);
        Assert.Equal(argv[..4], stored.Take(4));
        Assert.Equal($"…[argv truncated: {(512 * 4096) - (16 * 1024)} more bytes]", stored[^1]);
    }

    [Fact]
    public void The_argument_crossing_the_cap_is_cut_at_a_character_boundary()
    {
        string[] argv = ["gcc", new string('é', 100)];

        var stored = RecordedArgv.Cap(argv, 10);

        Assert.Equal(["gcc", "ééé", "…[argv truncated: 194 more bytes]"], stored);
    }
}
