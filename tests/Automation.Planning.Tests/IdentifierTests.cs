using System.Text.Json;
using Automation.Messages;
using Automation.Profiles.Identifiers;
using FluentAssertions;
using Xunit;

namespace Automation.Planning.Tests;

public sealed class IdentifierTests
{
    private sealed record Decision(CustomerId Customer, MessageId Message, TriggerName Trigger, ReasonCode? Reason, Dictionary<ReasonCode, int> ByReason);

    [Fact]
    public void Ids_are_their_text_in_JSON_as_values_and_as_keys_and_read_back_as_the_same_ids()
    {
        var decision = new Decision(new CustomerId("C1"), new MessageId("m0123"), new TriggerName("birthday"), null,
            new Dictionary<ReasonCode, int> { [new ReasonCode("opted_out")] = 2 });

        var json = JsonSerializer.Serialize(decision);

        json.Should().Be("""{"Customer":"C1","Message":"m0123","Trigger":"birthday","Reason":null,"ByReason":{"opted_out":2}}""");
        var read = JsonSerializer.Deserialize<Decision>(json)!;
        read.Customer.Should().Be(decision.Customer);
        read.Message.Should().Be(decision.Message);
        read.Trigger.Should().Be(decision.Trigger);
        read.Reason.Should().BeNull();
        read.ByReason.Should().Equal(decision.ByReason);
    }

    [Fact]
    public void An_id_that_is_not_text_in_JSON_is_refused_with_the_id_s_kind()
    {
        var act = () => JsonSerializer.Deserialize<Decision>("""{"Customer":42,"Message":"m1","Trigger":"birthday","Reason":null,"ByReason":{}}""");

        act.Should().Throw<JsonException>().WithMessage("A CustomerId is a JSON string, not Number.");
    }

    [Fact]
    public void Ids_of_different_kinds_with_the_same_text_are_not_equal()
    {
        object customer = new CustomerId("x1");
        object message = new MessageId("x1");

        customer.Equals(message).Should().BeFalse();
        new CustomerId("x1").Should().Be(new CustomerId("x1"));
        new CustomerId("x1").ToString().Should().Be("x1");
    }
}
