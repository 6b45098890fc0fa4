namespace Automation.Profiles.Identifiers;

/// <summary>
/// An id that files and stores carry as text and code carries as its own type, so an id of one kind
/// passed where another is expected does not compile. Each store converts at its edge: JSON through
/// <see cref="IdentifierJsonConverter{T}"/>, SQLite through the store's parameter and reader helpers.
/// </summary>
public interface IIdentifier<TSelf> where TSelf : struct, IIdentifier<TSelf>
{
    string Value { get; }

    /// <summary>The id a stored text stands for.</summary>
    static abstract TSelf From(string value);
}
