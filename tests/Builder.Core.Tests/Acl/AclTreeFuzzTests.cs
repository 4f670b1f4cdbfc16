using System.Text;
using Builder.Core.Acl;
using Builder.Core.Tests.Requests;
using Builder.Tests.Common.Signing;

namespace Builder.Core.Tests.Acl;

/// <summary>Fuzz-style: mutated trees never throw; every error points into the tree; a pocket with errors grants nothing.</summary>
public sealed class AclTreeFuzzTests
{
    private const int Seed = 424_242;
    private const int Cases = 10_500;
    private static readonly string[] Directories = ["keys", "groups", "acl", "", "other"];

    private static List<AclFile> ValidTree()
    {
        var alice = TestSigningKey.Generate("alice@x");
        var bob = TestSigningKey.Generate("bob@x");
        return
        [
            AclFile.Read("keys/alice.pub", Encoding.ASCII.GetBytes($"# alice\n{alice.PublicKeyLine}\n")),
            AclFile.Read("keys/bob.pub", Encoding.ASCII.GetBytes($"{bob.PublicKeyLine}\n\n{TestSigningKey.Generate().PublicKeyLine}\n")),
            AclFile.Read("keys/carol.pub", Encoding.ASCII.GetBytes(TestSigningKey.Generate().PublicKeyLine)),
            AclFile.Read("groups/devs", "alice\n  bob\n"u8.ToArray()),
            AclFile.Read("groups/ops", "# ops\ncarol\n"u8.ToArray()),
            AclFile.Read("acl/dev", "@devs\ncarol cancel-any\n"u8.ToArray()),
            AclFile.Read("acl/prod", "alice\t cancel-any\n@ops\n"u8.ToArray()),
        ];
    }

    [Fact]
    public void Valid_corpus_tree_is_valid()
    {
        var tree = AclTree.FromSnapshot(new AclSnapshot(ValidTree(), []));

        Assert.True(tree.IsValid, string.Join("\n", tree.Errors));
        Assert.Equal(AclOutcome.Allowed, tree.Check("bob", "dev", AclAction.Submit).Outcome);
    }

    [Fact]
    public void Mutated_trees_never_throw_and_errors_close_what_they_affect()
    {
        var corpus = ValidTree();
        var contents = corpus.Select(f => f.Content!).ToList();
        var mutator = new ByteMutator(Seed);
        var invalid = 0;
        for (var i = 0; i < Cases; i++)
        {
            var files = Mutate(corpus, contents, mutator);
            AclTree tree;
            try
            {
                tree = AclTree.FromSnapshot(new AclSnapshot(files, []));
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} (seed {Seed}) threw {e.GetType().Name}: {e.Message}\n{Describe(files)}");
                return;
            }
            invalid += tree.IsValid ? 0 : 1;
            CheckInvariants(tree, files, i);
        }
        Assert.InRange(invalid, Cases / 2, Cases);
    }

    private static void CheckInvariants(AclTree tree, List<AclFile> files, int i)
    {
        var paths = files.Select(f => AclErrorList.DisplayPath(f.Path)).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(tree.Errors.Count == 0, tree.IsValid);
        Assert.Matches("^sha256:[0-9a-f]{64}$", tree.Hash);
        Assert.Equal(tree.Errors.Order(AclErrorOrder.Instance), tree.Errors);
        foreach (var e in tree.Errors)
        {
            Assert.True(paths.Contains(e.File), $"case {i}: error names unknown file '{e.File}': {e}");
            Assert.True(e.Line is null or >= 1, $"case {i}: {e}");
            Assert.DoesNotContain('\n', e.ToString());
            Assert.DoesNotContain('\r', e.ToString());
        }
        foreach (var pocket in tree.Pockets)
        {
            foreach (var principal in new[] { "alice", "bob", "carol", "mallory" })
            {
                foreach (var action in Enum.GetValues<AclAction>())
                {
                    var decision = tree.Check(principal, pocket, action);
                    if (decision.Outcome == AclOutcome.Allowed)
                    {
                        Assert.Empty(tree.ErrorsFor(pocket));
                    }
                    Assert.Equal(decision.Outcome == AclOutcome.PocketClosed, tree.ErrorsFor(pocket).Count > 0);
                }
            }
        }
    }

    private static List<AclFile> Mutate(List<AclFile> corpus, List<byte[]> contents, ByteMutator mutator)
    {
        var files = new List<AclFile>(corpus);
        var rounds = 1 + mutator.Random.Next(3);
        for (var r = 0; r < rounds && files.Count > 0; r++)
        {
            var at = mutator.Random.Next(files.Count);
            var file = files[at];
            switch (mutator.Random.Next(6))
            {
                case 0:
                case 1:
                    files[at] = file with { Content = mutator.Mutate(file.Content ?? [], contents) };
                    break;
                case 2:
                    var name = Encoding.Latin1.GetString(mutator.Mutate(Encoding.ASCII.GetBytes(file.Name), []));
                    files[at] = file with { Path = $"{Directories[mutator.Random.Next(Directories.Length)]}/{name}".TrimStart('/') };
                    break;
                case 3:
                    files.RemoveAt(at);
                    break;
                case 4:
                    files[at] = AclFile.Unusable(file.Path, "cannot read: Permission denied");
                    break;
                default:
                    files.Add(AclFile.Read($"{Directories[mutator.Random.Next(3)]}/{(char)('a' + mutator.Random.Next(26))}",
                        mutator.RandomTokens(mutator.Random.Next(10))));
                    break;
            }
        }
        // Paths are unique in a real directory listing.
        return [.. files.DistinctBy(f => f.Path, StringComparer.Ordinal)];
    }

    private static string Describe(List<AclFile> files) =>
        string.Join("\n", files.Select(f => $"{f.Path}: {(f.Content is null ? f.Problem : Convert.ToBase64String(f.Content))}"));
}
