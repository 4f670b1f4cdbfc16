using Builder.Tests.Common;
using Builder.Vm.Output.Binaries;

namespace Builder.Vm.Tests.Output.Binaries;

public sealed class BinaryOutputCheckerTests : IDisposable
{
    private const string Trojan = """
        Source: trojan
        Maintainer: Jane Doe <jane@example.org>
        Section: misc
        Priority: optional

        Package: trojan
        Architecture: any
        Description: the program
         t

        Package: trojan-data
        Architecture: all
        Description: its data
         d

        Package: trojan-udeb
        Package-Type: udeb
        Architecture: linux-any
        Section: debian-installer
        Description: for the installer
         u

        """;

    private const string Of = "Source: trojan\n";

    private readonly string _root = TestEnvironment.NewTempDirectory("bincheck");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private BuildOutput Output(string control = Trojan, string source = "trojan", string version = "1.0") => new(_root, control, source, version);

    private static string Package(string package, string version = "1.0", string architecture = "amd64", string extra = Of) =>
        BuildOutput.Package(package, version, architecture, extra);

    private static List<string> Messages(BinaryCheckResult result) => [.. result.Violations.Select(v => v.Message)];

    [Fact]
    public void A_complete_output_of_declared_packages_with_a_dpkg_genchanges_changes_is_accepted()
    {
        var output = Output()
            .Add("trojan_1.0_amd64.deb", BuildOutput.Package("trojan"))
            .Add("trojan-data_1.0_all.deb", Package("trojan-data", architecture: "all"))
            .Add("trojan-dbgsym_1.0_amd64.deb", Package("trojan-dbgsym", extra: Of + "Auto-Built-Package: debug-symbols\n"), "debug", automatic: true)
            .Add("trojan-udeb_1.0_amd64.udeb", Package("trojan-udeb", extra: Of + "Package-Type: udeb\n"), "debian-installer");
        var changes = File.ReadAllText(output.GenerateChanges());

        var result = output.Check();

        Assert.Empty(Messages(result));
        Assert.True(result.IsAccepted);
        Assert.Contains("Binary: trojan trojan-data trojan-dbgsym trojan-udeb\n", changes, StringComparison.Ordinal);
        Assert.Equal(
            [
                ("trojan-data_1.0_all.deb", "trojan-data", "all", BinaryKind.Deb),
                ("trojan-dbgsym_1.0_amd64.deb", "trojan-dbgsym", "amd64", BinaryKind.DebugSymbols),
                ("trojan-udeb_1.0_amd64.udeb", "trojan-udeb", "amd64", BinaryKind.Udeb),
                ("trojan_1.0_amd64.deb", "trojan", "amd64", BinaryKind.Deb),
            ],
            result.Accepted.Select(a => (a.File, a.Package, a.Architecture, a.Kind)));
        Assert.All(result.Accepted, a => Assert.Equal("1.0", a.Version.Text));
    }

    [Fact]
    public void An_epoch_is_in_every_Version_field_and_in_no_file_name()
    {
        var output = Output(version: "2:1.0-1").Add("trojan_1.0-1_amd64.deb", BuildOutput.Package("trojan", "2:1.0-1"));
        output.GenerateChanges();

        Assert.Empty(Messages(output.Check()));
        Assert.Equal("trojan_1.0-1_amd64.changes", output.ChangesName);
    }

    [Fact]
    public void An_undeclared_package_registered_with_dpkg_distaddfile_is_rejected_though_the_changes_lists_it()
    {
        var output = Output()
            .Add("trojan_1.0_amd64.deb", BuildOutput.Package("trojan"))
            .Add("zlib1g-dev_1.0_all.deb", Package("zlib1g-dev", "99:1.0", "all", "Source: zlib\n"), "libdevel");
        var changes = File.ReadAllText(output.GenerateChanges());

        var result = output.Check();

        Assert.Contains("Binary: trojan zlib1g-dev\n", changes, StringComparison.Ordinal);
        Assert.Equal(["zlib1g-dev_1.0_all.deb: package 'zlib1g-dev' is not declared in trojan's debian/control"], Messages(result));
        Assert.Equal(new BinaryViolation("zlib1g-dev_1.0_all.deb", "Package", Messages(result)[0]), Assert.Single(result.Violations));
        Assert.False(result.IsAccepted);
        Assert.Equal("trojan", Assert.Single(result.Accepted).Package);
    }

    [Fact]
    public void A_file_named_for_a_declared_package_holding_another_is_rejected_by_its_Package_field()
    {
        var output = Output("Source: hello\nMaintainer: Jane Doe <jane@example.org>\nSection: misc\nPriority: optional\n\nPackage: hello\nArchitecture: any\n", "hello").Add("hello_1.0_amd64.deb", Package("libc6", extra: "Source: hello\n"));
        output.GenerateChanges();

        var messages = Messages(output.Check());

        Assert.Contains("hello_1.0_amd64.deb: package 'libc6' is not declared in hello's debian/control", messages);
        Assert.Contains("hello_1.0_amd64.changes: Binary lists 'hello', but no binary file holds it", messages);
        Assert.Contains("hello_1.0_amd64.changes: Binary does not list 'libc6' of hello_1.0_amd64.deb", messages);
    }

    [Fact]
    public void A_Version_other_than_the_changelog_version_is_rejected()
    {
        var output = Output().Add("trojan_1.0_amd64.deb", BuildOutput.Package("trojan", "1:1.0"));
        output.GenerateChanges();

        Assert.Equal(["trojan_1.0_amd64.deb: Version '1:1.0' is not the changelog version '1.0'"], Messages(output.Check()));
    }

    [Theory]
    [InlineData("Source: zlib\n", "Source 'zlib' is not 'trojan'")]
    [InlineData("", "has no Source field, so its source is 'trojan-data', not 'trojan'")]
    [InlineData("Source: trojan (0.9)\n", "Source version '0.9' is not the changelog version '1.0'")]
    [InlineData("Source: trojan (0.9\n", "Source 'trojan (0.9' is not 'name' or 'name (version)'")]
    public void A_Source_naming_another_source_or_version_is_rejected(string source, string problem)
    {
        var output = Output().Add("trojan-data_1.0_all.deb", Package("trojan-data", architecture: "all", extra: source));
        output.GenerateChanges();

        Assert.Equal([$"trojan-data_1.0_all.deb: {problem}"], Messages(output.Check()));
    }

    [Fact]
    public void A_package_named_after_its_source_needs_no_Source_field()
    {
        var output = Output().Add("trojan_1.0_amd64.deb", BuildOutput.Package("trojan"));
        output.GenerateChanges();

        Assert.True(output.Check().IsAccepted);
    }

    [Fact]
    public void An_Architecture_all_package_built_as_amd64_is_rejected()
    {
        var output = Output().Add("trojan-data_1.0_amd64.deb", Package("trojan-data"));
        output.GenerateChanges();

        // dpkg-genchanges takes 'all' from debian/control and 'amd64' from the file name.
        Assert.Equal(
            [
                "trojan-data_1.0_amd64.deb: Architecture 'amd64' is not 'all' (debian/control line 11: Architecture: all)",
                "trojan_1.0_amd64.changes: Architecture lists 'all', but no binary file is of it",
            ],
            Messages(output.Check()));
    }

    [Fact]
    public void An_architecture_specific_package_built_as_all_or_for_another_architecture_is_rejected()
    {
        var output = Output().Add("trojan_1.0_all.deb", BuildOutput.Package("trojan", architecture: "all"));
        output.GenerateChanges();

        Assert.Equal(
            [
                "trojan_1.0_all.deb: Architecture 'all' is not 'amd64' (debian/control line 6: Architecture: any)",
                "trojan_1.0_amd64.changes: Architecture lists 'amd64', but no binary file is of it",
            ],
            Messages(output.Check()));
    }

    [Fact]
    public void A_package_whose_architectures_exclude_the_build_architecture_is_rejected()
    {
        var output = Output().Add("trojan-udeb_1.0_amd64.udeb", Package("trojan-udeb", extra: Of + "Package-Type: udeb\n"), "debian-installer");
        output.GenerateChanges();

        var messages = Messages(BinaryOutputChecker.Check(output.Expectation("hurd-amd64"), output.Artifacts()));

        Assert.Equal(["trojan-udeb_1.0_amd64.udeb: package 'trojan-udeb' is not built for hurd-amd64 (debian/control line 16: Architecture: linux-any)"], messages);
    }

    [Fact]
    public void Two_changes_files_are_rejected_naming_both()
    {
        var output = Output().Add("trojan_1.0_amd64.deb", BuildOutput.Package("trojan"));
        var changes = output.GenerateChanges();
        File.Copy(changes, Path.Combine(output.Directory, "trojan_1.0_arm64.changes"));

        Assert.Equal(["output: 2 .changes files (trojan_1.0_amd64.changes, trojan_1.0_arm64.changes); expected exactly one"], Messages(output.Check()));
    }

    [Fact]
    public void An_output_without_a_changes_file_is_rejected()
    {
        var output = Output().Add("trojan_1.0_amd64.deb", BuildOutput.Package("trojan"));

        var result = output.Check();

        Assert.Equal(["output: no .changes file; expected exactly one"], Messages(result));
        Assert.Equal(BinaryOutputChecker.OutputName, Assert.Single(result.Violations).File);
    }

    [Fact]
    public void A_package_the_changes_does_not_list_is_rejected()
    {
        var output = Output().Add("trojan_1.0_amd64.deb", BuildOutput.Package("trojan"));
        output.GenerateChanges();
        output.Add("trojan-data_1.0_all.deb", Package("trojan-data", architecture: "all"), register: false);

        Assert.Equal(
            [
                "trojan_1.0_amd64.changes: Architecture does not list 'all' of trojan-data_1.0_all.deb",
                "trojan_1.0_amd64.changes: Binary does not list 'trojan-data' of trojan-data_1.0_all.deb",
                "trojan_1.0_amd64.changes: Files does not list trojan-data_1.0_all.deb",
            ],
            Messages(output.Check()));
    }

    [Theory]
    [InlineData("trojan_1.0-1_amd64.deb", "trojan_1.0_amd64.deb")]
    [InlineData("trojan_1.0_all.deb", "trojan_1.0_amd64.deb")]
    [InlineData("trojan-x_1.0_amd64.deb", "trojan_1.0_amd64.deb")]
    public void A_file_name_other_than_package_version_architecture_is_rejected(string name, string expected)
    {
        var output = Output().Add(name, BuildOutput.Package("trojan"));
        output.GenerateChanges();

        Assert.Contains($"{name}: file name is not '{expected}' (Package_Version-without-epoch_Architecture.deb)", Messages(output.Check()));
    }

    [Fact]
    public void A_declared_udeb_built_as_a_deb_is_rejected_by_type_and_suffix()
    {
        var output = Output().Add("trojan-udeb_1.0_amd64.deb", Package("trojan-udeb"), "debian-installer");
        output.GenerateChanges();

        Assert.Equal(
            [
                "trojan-udeb_1.0_amd64.deb: Package-Type 'deb' is not 'udeb' (debian/control line 16 declares a udeb)",
                "trojan-udeb_1.0_amd64.deb: a udeb must be named *.udeb",
            ],
            Messages(output.Check()));
    }

    [Fact]
    public void A_declared_deb_claiming_to_be_a_udeb_is_rejected()
    {
        var output = Output().Add("trojan_1.0_amd64.udeb", BuildOutput.Package("trojan", extra: "Package-Type: udeb\n"));
        output.GenerateChanges();

        Assert.Equal(
            [
                "trojan_1.0_amd64.udeb: Package-Type 'udeb' is not 'deb' (debian/control line 6 declares a deb)",
                "trojan_1.0_amd64.udeb: a deb must be named *.deb",
            ],
            Messages(output.Check()));
    }

    [Fact]
    public void A_dbgsym_package_without_Auto_Built_Package_is_rejected()
    {
        var output = Output()
            .Add("trojan_1.0_amd64.deb", BuildOutput.Package("trojan"))
            .Add("trojan-dbgsym_1.0_amd64.deb", Package("trojan-dbgsym"), "debug", automatic: true);
        output.GenerateChanges();

        Assert.Equal(
            ["trojan-dbgsym_1.0_amd64.deb: package 'trojan-dbgsym' is not declared in trojan's debian/control, and it has no 'Auto-Built-Package: debug-symbols' to be the debug symbols of 'trojan'"],
            Messages(output.Check()));
    }

    [Fact]
    public void A_ddeb_with_Package_Type_ddeb_is_accepted_as_debug_symbols()
    {
        var output = Output()
            .Add("trojan_1.0_amd64.deb", BuildOutput.Package("trojan"))
            .Add("trojan-dbgsym_1.0_amd64.ddeb", Package("trojan-dbgsym", extra: Of + "Auto-Built-Package: debug-symbols\nPackage-Type: ddeb\n"), "debug", automatic: true);
        var changes = File.ReadAllText(output.GenerateChanges());

        var result = output.Check();

        Assert.Empty(Messages(result));
        Assert.Equal(BinaryKind.DebugSymbols, result.Accepted.Single(a => a.Package == "trojan-dbgsym").Kind);
        Assert.Contains("Binary: trojan\n", changes, StringComparison.Ordinal);
        Assert.Contains(" debug optional trojan-dbgsym_1.0_amd64.ddeb\n", changes, StringComparison.Ordinal);
    }

    [Fact]
    public void Debug_symbols_of_an_Architecture_all_package_say_all_and_of_a_udeb_are_refused()
    {
        var output = Output()
            .Add("trojan-data-dbgsym_1.0_all.deb", Package("trojan-data-dbgsym", architecture: "all", extra: Of + "Auto-Built-Package: debug-symbols\n"), "debug", automatic: true)
            .Add("trojan-udeb-dbgsym_1.0_amd64.deb", Package("trojan-udeb-dbgsym", extra: Of + "Auto-Built-Package: debug-symbols\n"), "debug", automatic: true);
        output.GenerateChanges();

        Assert.Equal(
            ["trojan-udeb-dbgsym_1.0_amd64.deb: package 'trojan-udeb-dbgsym': 'trojan-udeb' is a udeb, and udebs have no debug-symbols packages"],
            Messages(output.Check()));
    }

    [Fact]
    public void A_package_in_two_files_is_rejected()
    {
        var output = Output()
            .Add("trojan_1.0_amd64.deb", BuildOutput.Package("trojan"))
            .Add("trojan-data_1.0_all.deb", BuildOutput.Package("trojan"));
        output.GenerateChanges();

        Assert.Contains("trojan_1.0_amd64.deb: package 'trojan' is also in trojan-data_1.0_all.deb", Messages(output.Check()));
    }

    [Fact]
    public void An_output_with_several_violations_reports_all_of_them()
    {
        var output = Output()
            .Add("trojan_1.0_amd64.deb", BuildOutput.Package("trojan", "1.1"))
            .Add("trojan-data_1.0_all.deb", Package("trojan-data", architecture: "amd64", extra: "Source: zlib\n"))
            .Add("zlib1g-dev_1.0_all.deb", Package("zlib1g-dev", "99:1.0", "all", "Source: zlib\n"), "libdevel");
        File.Copy(output.GenerateChanges(), Path.Combine(output.Directory, "second.changes"));

        var messages = Messages(output.Check());

        Assert.Equal(
            [
                "trojan-data_1.0_all.deb: Source 'zlib' is not 'trojan'",
                "trojan-data_1.0_all.deb: Architecture 'amd64' is not 'all' (debian/control line 11: Architecture: all)",
                "trojan-data_1.0_all.deb: file name is not 'trojan-data_1.0_amd64.deb' (Package_Version-without-epoch_Architecture.deb)",
                "trojan_1.0_amd64.deb: Version '1.1' is not the changelog version '1.0'",
                "trojan_1.0_amd64.deb: file name is not 'trojan_1.1_amd64.deb' (Package_Version-without-epoch_Architecture.deb)",
                "zlib1g-dev_1.0_all.deb: package 'zlib1g-dev' is not declared in trojan's debian/control",
                "output: 2 .changes files (second.changes, trojan_1.0_amd64.changes); expected exactly one",
            ],
            messages);
    }

    [Theory]
    [InlineData("Version: 1.0\n", "Version: 1.1\n", "trojan_1.0_amd64.changes: Version '1.1' is not the changelog version '1.0'")]
    [InlineData("Source: trojan\n", "Source: zlib\n", "trojan_1.0_amd64.changes: Source 'zlib' is not 'trojan'")]
    [InlineData("Source: trojan\n", "Source: trojan (0.9)\n", "trojan_1.0_amd64.changes: Source version '0.9' is not the changelog version '1.0'")]
    [InlineData("Architecture: amd64\n", "Architecture: source amd64 arm64\n", "trojan_1.0_amd64.changes: Architecture lists 'arm64', but no binary file is of it")]
    [InlineData("Binary: trojan\n", "Binary: trojan zlib1g-dev\n", "trojan_1.0_amd64.changes: Binary lists 'zlib1g-dev', but no binary file holds it")]
    [InlineData("Binary: trojan\n", "", "trojan_1.0_amd64.changes: Binary field is missing")]
    [InlineData("Version: 1.0\n", "Version: 1.0\nnot a field\n", "trojan_1.0_amd64.changes line 7: expected 'Field: value', found 'not a field'")]
    [InlineData("Version: 1.0\n", "Version: 1.0\n\nSource: again\n", "trojan_1.0_amd64.changes line 8: a second stanza; a .changes has one (an unsigned one: the guest does not sign)")]
    public void A_changes_file_describing_something_else_is_rejected_naming_the_field_or_line(string from, string to, string message)
    {
        var output = Output().Add("trojan_1.0_amd64.deb", BuildOutput.Package("trojan"));
        var path = output.GenerateChanges();
        var text = File.ReadAllText(path);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));

        Assert.Equal([message], Messages(output.Check()));
    }

    [Fact]
    public void A_malformed_Files_entry_is_rejected_naming_its_line()
    {
        var output = Output().Add("trojan_1.0_amd64.deb", BuildOutput.Package("trojan"));
        var path = output.GenerateChanges();
        var lines = File.ReadAllLines(path).ToList();
        var files = lines.IndexOf("Files:");
        lines[files + 1] += " extra";
        File.WriteAllLines(path, lines);

        Assert.Equal([$"trojan_1.0_amd64.changes line {files + 2}: Files entries are '<md5> <size> <section> <priority> <name>'"], Messages(output.Check()));
    }

    [Fact]
    public void An_unreadable_package_is_one_violation_naming_the_file()
    {
        var output = Output().Add("trojan_1.0_amd64.deb", BuildOutput.Package("trojan"));
        output.GenerateChanges();
        File.WriteAllText(Path.Combine(output.Directory, "trojan_1.0_amd64.deb"), "not an ar archive");

        var result = output.Check();

        Assert.Contains("trojan_1.0_amd64.deb: not an ar archive (no '!<arch>' magic)", Messages(result));
        Assert.Empty(result.Accepted);
    }

    [Fact]
    public void Guest_text_in_messages_has_control_and_format_characters_replaced()
    {
        var output = Output().Add("trojan_1.0_amd64.deb", BuildOutput.Package("trojan", extra: "Source: trojan\u202Enaj\n"));
        output.GenerateChanges();

        Assert.Equal(["trojan_1.0_amd64.deb: Source 'trojan?naj' is not 'trojan'"], Messages(output.Check()));
    }
}
