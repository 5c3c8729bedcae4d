namespace AkkaExchange.Messages.Codec;

/// <summary>A payload could not be decoded: truncated, of an unknown type or version, or with an invalid value.</summary>
public sealed class CodecException(string message) : Exception(message);
