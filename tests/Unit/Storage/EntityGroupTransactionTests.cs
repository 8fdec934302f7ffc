using Azure.Data.Tables;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Tests.Unit.Storage;

public sealed class EntityGroupTransactionTests
{
    private static TableTransactionAction Add(string partition, int row) =>
        new(TableTransactionActionType.Add, new TableEntity(partition, row.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void ABatchSpanningPartitionsIsRefusedBeforeItIsSent()
    {
        var error = Assert.Throws<InvalidOperationException>(() => EntityGroupTransaction.Validate([Add("1", 1), Add("2", 1)]));
        Assert.Contains("one partition", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABatchOfMoreThan100OperationsIsRefused()
    {
        EntityGroupTransaction.Validate([.. Enumerable.Range(0, 100).Select(i => Add("p", i))]);
        Assert.Throws<InvalidOperationException>(() => EntityGroupTransaction.Validate([.. Enumerable.Range(0, 101).Select(i => Add("p", i))]));
    }

    [Fact]
    public void AnEmptyBatchIsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => EntityGroupTransaction.Validate([]));
    }
}
