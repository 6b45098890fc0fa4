using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Automation.Storage.Sqlite;

/// <summary>
/// A prepared statement driven through SQLitePCLRaw, for the statements that run once per ingested
/// row: ADO.NET's per-execution objects (reader, statement iterator, value binders) cost more than
/// SQLite's own work there. It runs on the connection's handle, so inside its current transaction.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private byte[] _utf8 = new byte[256];

    public RawStatement(SqliteConnection connection, string sql)
    {
        _database = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_database, sql, out _statement));
    }

    /// <summary>Binds text through a reused UTF-8 buffer (SQLite copies it), so binding allocates nothing.</summary>
    public RawStatement Bind(int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(_statement, index));
            return this;
        }

        var length = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length > _utf8.Length) _utf8 = new byte[Math.Max(length, _utf8.Length * 2)];
        var written = System.Text.Encoding.UTF8.GetBytes(value, _utf8);
        Check(raw.sqlite3_bind_text(_statement, index, _utf8.AsSpan(0, written)));
        return this;
    }

    /// <summary>Binds text that is already UTF-8.</summary>
    public RawStatement BindUtf8(int index, ReadOnlySpan<byte> utf8)
    {
        Check(raw.sqlite3_bind_text(_statement, index, utf8));
        return this;
    }

    /// <summary>Rows the last INSERT, UPDATE or DELETE on this connection changed.</summary>
    public int Changes => raw.sqlite3_changes(_database);

    public RawStatement Bind(int index, ReadOnlySpan<byte> blob)
    {
        Check(raw.sqlite3_bind_blob(_statement, index, blob));
        return this;
    }

    public RawStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    /// <summary>Steps once: true when a row is available.</summary>
    public bool Step()
    {
        var result = raw.sqlite3_step(_statement);
        if (result == raw.SQLITE_ROW) return true;
        if (result == raw.SQLITE_DONE) return false;
        Check(result);
        return false;
    }

    /// <summary>Runs a statement that returns no rows, then makes it ready for the next bindings.</summary>
    public void Execute()
    {
        try
        {
            Step();
        }
        finally
        {
            Reset();
        }
    }

    public string? Text(int column) =>
        raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(_statement, column).utf8_to_string();

    /// <summary>The bytes of a blob column, valid until the next step or reset.</summary>
    public ReadOnlySpan<byte> Blob(int column) => raw.sqlite3_column_blob(_statement, column);

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public void Reset() => raw.sqlite3_reset(_statement);

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE)) SqliteException.ThrowExceptionForRC(result, _database);
    }
}
