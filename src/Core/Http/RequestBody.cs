using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace PresenceFunctions.Http;

/// <summary>Reads a request body, refusing it as soon as it passes the limit rather than after reading it whole.</summary>
public static class RequestBody
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<byte[]> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw new ApiException(ApiError.PayloadTooLarge(MaxBytes));
        }

        // One byte more than the limit tells "exactly at the limit" from "over it" without reading further.
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBytes + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= MaxBytes
                && (read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxBytes + 1 - length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            if (length > MaxBytes)
            {
                throw new ApiException(ApiError.PayloadTooLarge(MaxBytes));
            }

            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
