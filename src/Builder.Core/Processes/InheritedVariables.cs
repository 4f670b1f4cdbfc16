using System.Collections.ObjectModel;

namespace Builder.Core.Processes;

/// <summary>The names of the variables a child takes from this process's environment; each is checked as it is added.</summary>
public sealed class InheritedVariables : Collection<string>
{
    protected override void InsertItem(int index, string item) => base.InsertItem(index, ChildEnvironment.CheckName(item));

    protected override void SetItem(int index, string item) => base.SetItem(index, ChildEnvironment.CheckName(item));
}
