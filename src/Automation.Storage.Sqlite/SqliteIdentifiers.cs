using Automation.Profiles.Identifiers;
using Microsoft.Data.Sqlite;

namespace Automation.Storage.Sqlite;

/// <summary>Typed ids in and out of SQLite, where they are TEXT columns.</summary>
internal static class SqliteIdentifiers
{
    // Not named AddWithValue: the instance method taking object would win and bind the struct itself.
    public static SqliteParameter AddIdentifier<T>(this SqliteParameterCollection parameters, string name, T id) where T : struct, IIdentifier<T> =>
        parameters.AddWithValue(name, id.Value);

    public static SqliteParameter AddIdentifier<T>(this SqliteParameterCollection parameters, string name, T? id) where T : struct, IIdentifier<T> =>
        parameters.AddWithValue(name, id is { } value ? value.Value : DBNull.Value);

    public static T GetIdentifier<T>(this SqliteDataReader reader, int ordinal) where T : struct, IIdentifier<T> => T.From(reader.GetString(ordinal));

    public static T? GetIdentifierOrNull<T>(this SqliteDataReader reader, int ordinal) where T : struct, IIdentifier<T> =>
        reader.IsDBNull(ordinal) ? null : T.From(reader.GetString(ordinal));

    public static RawStatement Bind<T>(this RawStatement statement, int index, T id) where T : struct, IIdentifier<T> => statement.Bind(index, id.Value);

    public static RawStatement Bind<T>(this RawStatement statement, int index, T? id) where T : struct, IIdentifier<T> => statement.Bind(index, id?.Value);
}
