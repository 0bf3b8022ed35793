from django.shortcuts import render


def home(request):
    memberships = []
    if request.user.is_authenticated:
        memberships = request.user.memberships.current().select_related("agency", "agency__region")
    return render(request, "home.html", {"memberships": memberships})
