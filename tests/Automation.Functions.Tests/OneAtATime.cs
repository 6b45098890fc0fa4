using Xunit;

namespace Automation.Functions.Tests;

/// <summary>
/// The tests that use the app's work queues, whose names are fixed, and the memory measurement, which
/// must not share the process with other work: they run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OneAtATime
{
    public const string Name = "Functions app on Azure Storage";
}
