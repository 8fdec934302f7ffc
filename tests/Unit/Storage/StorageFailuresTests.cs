using Azure;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Tests.Unit.Storage;

public sealed class StorageFailuresTests
{
    [Fact]
    public void ATableStillMissingAfterItsRecreationIsUnavailableStorageNotABug() =>
        Assert.True(StorageFailures.IsUnavailable(new RequestFailedException(404, "The table specified does not exist.", "TableNotFound", null)));

    [Fact]
    public void AMissingRowIsNotUnavailableStorage() =>
        Assert.False(StorageFailures.IsUnavailable(new RequestFailedException(404, "The specified resource does not exist.", "ResourceNotFound", null)));
}
