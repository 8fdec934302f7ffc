namespace PresenceFunctions.Http;

public enum PayloadKind
{
    Json,
    Xml,
}
