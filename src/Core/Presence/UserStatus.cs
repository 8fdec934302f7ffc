namespace PresenceFunctions.Presence;

/// <summary>SuperOffice's <c>EjUserStatus</c>. Member names are the names written on the wire.</summary>
public enum UserStatus
{
    StatusNone = 0,
    StatusNormal = 1,
    StatusNotAvailable = 2,
    StatusDeleted = 3,
    StatusReadOnly = 4,
    StatusSpm = 5,
    StatusSystem = 127,
}
