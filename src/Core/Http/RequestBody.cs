using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace PresenceFunctions.Http;

/// <summary>Reads a request body, refusing it as soon as it passes the limit rather than after reading it whole.</summary>
public static class RequestBody
{
    public const int MaxBytes = 64 * 1024;

    public static Task<byte[]> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ReadAsync(request, MaxBytes, cancellationToken);

    /// <summary>As <see cref="ReadAsync(HttpRequest, CancellationToken)"/>, with a route's own limit.</summary>
    public static async Task<byte[]> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes)
        {
            throw new ApiException(ApiError.PayloadTooLarge(maxBytes));
        }

        // One byte more than the limit tells "exactly at the limit" from "over it" without reading further.
        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= maxBytes
                && (read = await request.Body.ReadAsync(buffer.AsMemory(length, maxBytes + 1 - length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            if (length > maxBytes)
            {
                throw new ApiException(ApiError.PayloadTooLarge(maxBytes));
            }

            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
