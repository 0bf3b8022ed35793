from . import credit, exports, records, repairs

urlpatterns = [*records.urlpatterns, *repairs.urlpatterns, *exports.urlpatterns, *credit.urlpatterns]
