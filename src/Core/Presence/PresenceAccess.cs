namespace PresenceFunctions.Presence;

/// <summary>Who may do what: anyone authenticated reads anyone's presence and sets their own; Administrators set anyone's.</summary>
public static class PresenceAccess
{
    public const string AdministratorRole = "Administrator";

    public static void EnsureMaySet(Actor actor, int associateId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.AssociateId != associateId && !actor.IsAdministrator)
        {
            throw new ForbiddenChangeException("Setting another associate's presence requires the Administrator role.", "AssociateId");
        }
    }
}
