namespace Builder.Vm.Tests;

public sealed class VmOptionsValidatorTests
{
    [Fact]
    public void Defaults_with_an_image_directory_are_valid()
    {
        var result = new VmOptionsValidator().Validate(null, new VmOptions { ImageDirectory = "/var/cache/builder/images/x" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Every_bad_key_is_reported_at_once_by_name()
    {
        var result = new VmOptionsValidator().Validate(null, new VmOptions
        {
            Memory = 12, Cpus = 0, Timeout = TimeSpan.Zero, OverlaySize = 1, WorkDirectory = "relative", RunAs = "builder-vm",
            ConnectorPath = "nc -N", MaxArtifacts = 1,
        });

        Assert.False(result.Succeeded);
        Assert.Equal(
            [
                "Vm:ImageDirectory is required (the directory ops/image/build-image printed, e.g. /var/cache/builder/images/<hash>)",
                "Vm:Memory must be 256..1048576 MiB, was 12",
                "Vm:Cpus must be 1..64, was 0",
                "Vm:Timeout must be positive, was 00:00:00",
                "Vm:OverlaySize must be at least 1 GiB (bytes), was 1",
                "Vm:WorkDirectory must be an absolute path, was 'relative'",
                "Vm:RunAs ('builder-vm') is no longer used: each build's qemu runs under its own uid from Vm:UidRange; remove Vm:RunAs",
                "Vm:ConnectorPath must be an absolute path without spaces, was 'nc -N'",
                "Vm:MaxArtifacts must be 2..100000, was 1",
            ],
            result.Failures);
    }

    [Theory]
    [InlineData(4095L)]
    [InlineData((16L << 20) + 1)]
    public void A_tar_metadata_cap_outside_4_KiB_to_16_MiB_is_reported_by_name(long cap)
    {
        var result = new VmOptionsValidator().Validate(null, new VmOptions { ImageDirectory = "/images/x", MaxTarMetadata = cap });

        Assert.Equal([$"Vm:MaxTarMetadata must be 4096..16777216 bytes, was {cap}"], result.Failures);
    }

    [Theory]
    [InlineData("2000000", "Vm:UidRange must be FIRST-LAST (decimal uids, e.g. 2000000-2000999) or empty, was '2000000'")]
    [InlineData("2000000-", "Vm:UidRange must be FIRST-LAST (decimal uids, e.g. 2000000-2000999) or empty, was '2000000-'")]
    [InlineData("-5-10", "Vm:UidRange must be FIRST-LAST (decimal uids, e.g. 2000000-2000999) or empty, was '-5-10'")]
    [InlineData("0x10-0x20", "Vm:UidRange must be FIRST-LAST (decimal uids, e.g. 2000000-2000999) or empty, was '0x10-0x20'")]
    [InlineData(" 2000000-2000999", "Vm:UidRange must be FIRST-LAST (decimal uids, e.g. 2000000-2000999) or empty, was ' 2000000-2000999'")]
    [InlineData("2000999-2000000", "Vm:UidRange '2000999-2000000' ends before it starts")]
    [InlineData("0-999", "Vm:UidRange '0-999' must lie within 1000-4294967294 (lower uids are system and login accounts)")]
    [InlineData("2000000-4294967295", "Vm:UidRange '2000000-4294967295' must lie within 1000-4294967294 (lower uids are system and login accounts)")]
    [InlineData("2000000-99999999999", "Vm:UidRange must be FIRST-LAST (decimal uids, e.g. 2000000-2000999) or empty, was '2000000-99999999999'")]
    [InlineData("2000000-2000002", "Vm:UidRange '2000000-2000002' has 3 uids, fewer than Scheduler:Slots (4)")]
    public void A_bad_uid_range_is_reported_with_its_key_and_value(string range, string expected)
    {
        var result = new VmOptionsValidator().Validate(null, new VmOptions { ImageDirectory = "/i", UidRange = range, Slots = 4 });

        Assert.Equal([expected], result.Failures);
    }

    [Theory]
    [InlineData("2000000-2000003")]
    [InlineData("1000-1003")]
    [InlineData("")]
    public void A_uid_range_with_room_for_every_slot_or_none_at_all_is_valid(string range)
    {
        var result = new VmOptionsValidator().Validate(null, new VmOptions { ImageDirectory = "/i", UidRange = range, Slots = 4 });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void The_default_range_gives_each_of_a_thousand_VMs_its_own_uid_above_every_account()
    {
        var range = Builder.Vm.Isolation.UidRange.Parse(new VmOptions().UidRange, out var error);

        Assert.Null(error);
        Assert.Equal(new Builder.Vm.Isolation.UidRange(2000000, 2000999), range);
        Assert.Equal(1000, range!.Value.Count);
    }
}
