using System.Security.Cryptography;
using System.Text;

namespace NQPF.Pipeline.Storage;

internal static class Hashing
{
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha256Hex(string text) => Sha256Hex(Encoding.UTF8.GetBytes(text));

    public static FileDigest Digest(ReadOnlySpan<byte> bytes) => new(Sha256Hex(bytes), bytes.Length);
}
