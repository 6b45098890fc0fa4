using System.Buffers;
using System.Text.Json;
using Automation.Profiles.Changes;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using Automation.Profiles.Storage;

namespace Automation.Storage.Cosmos.Documents;

/// <summary>
/// One customer's document in the <c>profiles</c> container: the profile, the identities of the
/// transaction lines it counted, and the message index. Lines live in the same document as the profile
/// because Cosmos DB writes one document atomically: a profile is never saved without the lines that
/// changed it, or the other way round, so "never double-counted" needs no transaction across documents.
/// </summary>
internal sealed class ProfileDocument : IRecordedLines
{
    private readonly Dictionary<string, List<RecordedLine>> _orders;
    private readonly List<string> _sources;
    private readonly Dictionary<string, int> _sourceIndex;
    private readonly List<(string MessageId, JsonElement Entry)> _messages;

    private ProfileDocument(
        CustomerProfile profile, Dictionary<string, List<RecordedLine>> orders, List<string> sources, List<(string, JsonElement)> messages)
    {
        Profile = profile;
        _orders = orders;
        _sources = sources;
        _messages = messages;
        _sourceIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++) _sourceIndex[sources[i]] = i;
    }

    public CustomerProfile Profile { get; }

    public static ProfileDocument New(string customerId) => new(new CustomerProfile(customerId), new(StringComparer.Ordinal), [], []);

    public static ProfileDocument Parse(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return Parse(document.RootElement);
    }

    public static ProfileDocument Parse(JsonElement root)
    {
        var orders = new Dictionary<string, List<RecordedLine>>(StringComparer.Ordinal);
        if (root.TryGetProperty("lines", out var lines))
        {
            foreach (var order in lines.EnumerateObject())
            {
                var recorded = new List<RecordedLine>(order.Value.GetArrayLength());
                foreach (var line in order.Value.EnumerateArray())
                {
                    recorded.Add(new RecordedLine(line[0].GetString()!, line[1].GetString(), line[2].GetInt32(), line[3].GetInt64()));
                }

                orders[order.Name] = recorded;
            }
        }

        var sources = root.TryGetProperty("sources", out var sourceList) ? sourceList.EnumerateArray().Select(s => s.GetString()!).ToList() : [];
        var messages = root.TryGetProperty(MessageIndex.Property, out var index) && index.ValueKind == JsonValueKind.Object
            ? index.EnumerateObject().Select(m => (m.Name, m.Value.Clone())).ToList()
            : [];
        return new ProfileDocument(ProfileJson.Deserialize(root.GetProperty("profile")), orders, sources, messages);
    }

    /// <summary>
    /// The document to write. Message-index entries planned more than <paramref name="retentionDays"/>
    /// before the newest one go: their message documents have expired by then.
    /// </summary>
    public ReadOnlyMemory<byte> Serialize(int retentionDays, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writer.WriteString("id", Profile.CustomerId);
        writer.WriteString("customerId", Profile.CustomerId);
        writer.WritePropertyName("profile");
        ProfileJson.Write(writer, Profile);
        writer.WriteStartObject("lines");
        foreach (var (transactionId, recorded) in _orders)
        {
            writer.WriteStartArray(transactionId);
            foreach (var line in recorded)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(line.Line);
                if (line.Category is null) writer.WriteNullValue();
                else writer.WriteStringValue(line.Category);
                writer.WriteNumberValue(line.Source);
                writer.WriteNumberValue(line.SourceLine);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteStartArray("sources");
        foreach (var source in _sources) writer.WriteStringValue(source);
        writer.WriteEndArray();
        writer.WriteStartObject(MessageIndex.Property);
        if (_messages.Count > 0)
        {
            var cutoff = _messages.Max(m => MessageIndex.PlannedFor(m.Entry)).PlusDays(-retentionDays);
            foreach (var (messageId, entry) in _messages)
            {
                if (MessageIndex.PlannedFor(entry) < cutoff) continue;
                writer.WritePropertyName(messageId);
                entry.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenMemory;
    }

    /// <summary>Classifies and merges changes in order, as every backend does (<see cref="ChangeApplier"/>); true when the document changed.</summary>
    public bool Apply(IReadOnlyList<ProfileChange> changes, ref ApplyResult result)
    {
        var changed = false;
        foreach (var change in changes)
        {
            var (outcome, novelty) = ChangeApplier.Classify(change, this);
            switch (outcome)
            {
                case ChangeOutcome.Applied:
                    ChangeApplier.Merge(Profile, change, novelty);
                    changed = true;
                    result += new ApplyResult(1, 0);
                    break;
                case ChangeOutcome.Replayed:
                    result += new ApplyResult(1, 0);
                    break;
                case ChangeOutcome.Duplicate:
                    result += new ApplyResult(0, 1);
                    break;
            }
        }

        return changed;
    }

    public TransactionNovelty? TryRecord(TransactionLine line)
    {
        var lineKey = line.Line ?? string.Empty;
        if (!_orders.TryGetValue(line.TransactionId, out var recorded))
        {
            recorded = [];
            _orders[line.TransactionId] = recorded;
        }

        var otherLinesOfCategory = false;
        foreach (var existing in recorded)
        {
            if (existing.Line == lineKey) return null;
            otherLinesOfCategory |= line.Category is not null && existing.Category == line.Category;
        }

        var isNewOrder = recorded.Count == 0;
        recorded.Add(new RecordedLine(lineKey, line.Category, SourceIndex(line.Source.FileId), line.Source.Line));
        return new TransactionNovelty(IsNewOrder: isNewOrder, IsNewCategoryInOrder: line.Category is not null && !otherLinesOfCategory);
    }

    /// <summary>The recorded lines with their sources, in transaction id and line order.</summary>
    public IEnumerable<StoredLine> Lines =>
        _orders.OrderBy(o => o.Key, StringComparer.Ordinal).SelectMany(order => order.Value.OrderBy(l => l.Line, StringComparer.Ordinal).Select(l =>
            new StoredLine(order.Key, l.Line.Length == 0 ? null : l.Line, l.Category, new LineSource(_sources[l.Source], l.SourceLine))));

    public LineSource SourceOf(string customerId, string transactionId, string? line)
    {
        var lineKey = line ?? string.Empty;
        var recorded = _orders[transactionId].First(l => l.Line == lineKey);
        return new LineSource(_sources[recorded.Source], recorded.SourceLine);
    }

    private int SourceIndex(string contentId)
    {
        if (_sourceIndex.TryGetValue(contentId, out var index)) return index;
        _sources.Add(contentId);
        _sourceIndex[contentId] = _sources.Count - 1;
        return _sources.Count - 1;
    }

    /// <param name="Source">Index into the document's <c>sources</c>: a content id is 71 characters, an index one or two.</param>
    private readonly record struct RecordedLine(string Line, string? Category, int Source, long SourceLine);
}
