using System.Xml.Serialization;

namespace PresenceFunctions.Benchmarks;

/// <summary>The request and carrier as plain DTOs, for the minimal endpoint the pipeline is compared with.</summary>
[XmlRoot("SetUserPresenceStatusRequest")]
public sealed class SetRequestDto
{
    public int AssociateId { get; set; }

    public CarrierDto? UserPresenceStatus { get; set; }
}

[XmlRoot("UserPresenceStatus")]
public sealed class CarrierDto
{
    public string? Status { get; set; }

    public string? Message { get; set; }
}
