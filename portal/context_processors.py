from portal.navigation import Navigation


def portal(request) -> dict:
    """What every page's frame needs: the audience it is shown to, the acting organization and the
    links and panels the apps registered (portal.navigation)."""
    organization = getattr(request, "organization", None)
    user = getattr(request, "user", None)
    audiences = set()
    if user is not None and user.is_authenticated:
        if user.is_staff:
            audiences.add("staff")
        if organization is not None:
            if organization.is_integrator or organization.is_provider:
                audiences.add("integrator")
            if organization.is_misp:
                audiences.add("misp")
            if organization.is_customer:
                audiences.add("customer")
    else:
        audiences.add("anonymous")
    return {
        "acting_organization": organization,
        "acting_membership": getattr(request, "membership", None),
        "my_memberships": getattr(request, "memberships", []),
        "audiences": audiences,
        "navigation": Navigation(request),
    }
