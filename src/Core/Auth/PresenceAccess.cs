namespace PresenceFunctions.Auth;

/// <summary>Who may do what: anyone authenticated reads anyone's presence and sets their own; Administrators set anyone's.</summary>
public static class PresenceAccess
{
    public const string AdministratorRole = "Administrator";

    public static void EnsureMaySet(Caller caller, int associateId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.AssociateId != associateId && !caller.IsAdministrator)
        {
            throw new AuthRefusedException(AuthRefusal.Forbidden("Setting another associate's presence requires the Administrator role.", "AssociateId"));
        }
    }
}
