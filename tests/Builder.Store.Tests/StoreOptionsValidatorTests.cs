namespace Builder.Store.Tests;

public sealed class StoreOptionsValidatorTests
{
    [Fact]
    public void A_connection_string_is_valid()
    {
        var options = new StoreOptions { ConnectionString = "Host=/run/postgresql;Database=builder" };

        var result = new StoreOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_missing_connection_string_is_reported_by_its_key(string connectionString)
    {
        var result = new StoreOptionsValidator().Validate(null, new StoreOptions { ConnectionString = connectionString });

        Assert.Equal(
            ["Database:ConnectionString is required (e.g. \"Host=/run/postgresql;Database=builder;Username=builder\")"], result.Failures);
    }
}
