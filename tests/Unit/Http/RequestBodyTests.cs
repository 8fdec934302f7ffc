using Microsoft.AspNetCore.Http;
using PresenceFunctions.Http;

namespace PresenceFunctions.Tests.Unit.Http;

public sealed class RequestBodyTests
{
    /// <summary>An endless body that counts what was read from it.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(count, 4096);
            buffer.AsSpan(offset, n).Fill((byte)'x');
            BytesRead += n;
            return n;
        }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task AnOversizedBodyWithoutContentLengthIsRefusedWithoutReadingItWhole()
    {
        var stream = new EndlessStream();
        var context = new DefaultHttpContext();
        context.Request.Body = stream;

        var error = (await Assert.ThrowsAsync<ApiException>(() => RequestBody.ReadAsync(context.Request, TestContext.Current.CancellationToken))).Error;

        Assert.Equal(413, error.StatusCode);
        Assert.InRange(stream.BytesRead, RequestBody.MaxBytes + 1, RequestBody.MaxBytes + 4096);
    }

    [Fact]
    public async Task ADeclaredOversizedBodyIsRefusedBeforeReadingAByte()
    {
        var stream = new EndlessStream();
        var context = new DefaultHttpContext();
        context.Request.Body = stream;
        context.Request.ContentLength = 1024 * 1024;

        var error = (await Assert.ThrowsAsync<ApiException>(() => RequestBody.ReadAsync(context.Request, TestContext.Current.CancellationToken))).Error;

        Assert.Equal(413, error.StatusCode);
        Assert.Equal(0, stream.BytesRead);
    }

    [Fact]
    public async Task ABodyOfExactlyTheLimitIsRead()
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(new byte[RequestBody.MaxBytes]);
        Assert.Equal(RequestBody.MaxBytes, (await RequestBody.ReadAsync(context.Request, TestContext.Current.CancellationToken)).Length);
    }
}
