import django_filters
from django.db.models import Q

from commissioning.models import CommissioningBody, LocalAuthority
from core.forms import helper


class LocalAuthorityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or GSS code", method="search")
    commissioning_body = django_filters.ModelChoiceFilter(
        label="Commissioning body",
        field_name="links__commissioning_body",
        queryset=CommissioningBody.objects.none(),
        distinct=True,
    )

    class Meta:
        model = LocalAuthority
        fields = ["q", "commissioning_body"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only offer bodies the user may see.
        self.filters["commissioning_body"].queryset = CommissioningBody.objects.visible_to(user)
        # The template lays the fields out itself; the helper is for the
        # GOV.UK error summary above them.
        self.form.helper = helper(button=None)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(gss_code__iexact=value))
