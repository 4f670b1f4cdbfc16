using System.Text;
using Builder.Core.Requests;

namespace Builder.Core.Tests.Requests;

/// <summary>The request examples in README "Build request format" are real, canonical requests.</summary>
public sealed class ReadmeRequestExamplesTests
{
    [Fact]
    public void Every_request_example_in_the_readme_parses_and_is_canonical()
    {
        var examples = Readme.CodeBlocks("## Build request format").Where(b => b.StartsWith("builder-request 1\n", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, examples.Count);
        Assert.All(examples, text => Assert.Equal(text, RequestFormat.Serialize(RequestFormat.Parse(Encoding.UTF8.GetBytes(text)))));
    }
}
