using Builder.Core.Options;
using Microsoft.Extensions.Options;

namespace Builder.Store;

/// <summary>Checks the <c>Database</c> section, each problem naming its key.</summary>
internal sealed class StoreOptionsValidator : IValidateOptions<StoreOptions>
{
    public ValidateOptionsResult Validate(string? name, StoreOptions options)
    {
        var errors = new OptionsErrors();
        // The value is never repeated: a connection string may hold a password.
        errors.Required($"{StoreOptions.Section}:ConnectionString", options.ConnectionString,
            "(e.g. \"Host=/run/postgresql;Database=builder;Username=builder\")");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
