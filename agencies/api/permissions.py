from rest_framework import permissions

from casehub import access


class ReadOnlyOrPlatformAdmin(permissions.BasePermission):
    """Every signed-in user reads the agency directory (it is how a transfer
    finds its recipient); only platform administrators change it."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return access.is_platform_admin(request.user)
