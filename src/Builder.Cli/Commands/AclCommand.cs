using System.CommandLine;
using Builder.Core.Acl;

namespace Builder.Cli.Commands;

/// <summary><c>builder acl check [DIR]</c>: validate an ACL tree offline, like <c>visudo -c</c>.</summary>
internal static class AclCommand
{
    public const string DefaultDirectory = "/etc/builder/acl";

    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = $"ACL tree (default {DefaultDirectory})", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => DefaultDirectory };
        var check = new Command("check", "Validate an ACL tree; print every error with file and line; exit 0 if valid, 1 if not") { dir };
        CliAction.Set(check, async (parse, output, ct) =>
        {
            var path = parse.GetRequiredValue(dir);
            var tree = AclTree.Load(path);
            foreach (var error in tree.Errors)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(error.ToString());
            }
            foreach (var pocket in tree.Pockets.Order(StringComparer.Ordinal))
            {
                var closed = tree.ErrorsFor(pocket).Count > 0;
                await output.WriteLineAsync($"pocket {pocket}: {(closed ? "CLOSED (errors above)" : "ok")}");
            }
            await output.WriteLineAsync(tree.IsValid
                ? $"{path}: ok ({tree.Hash})"
                : $"{path}: {tree.Errors.Count} error(s); pockets they affect are closed until fixed");
            return tree.IsValid ? ExitCode.Ok : ExitCode.Failed;
        });
        return new Command("acl", "ACL tree tools") { check };
    }
}
