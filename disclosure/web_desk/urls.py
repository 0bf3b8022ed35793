from . import credit, records, repairs

urlpatterns = [*records.urlpatterns, *repairs.urlpatterns, *credit.urlpatterns]
