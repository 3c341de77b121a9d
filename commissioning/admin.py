from django.contrib import admin

from commissioning.models import (
    ChildPopulation,
    CommissioningBody,
    CommissioningLink,
    LocalAuthority,
    Provider,
    Service,
)


class CommissioningLinkInline(admin.TabularInline):
    model = CommissioningLink
    extra = 0
    autocomplete_fields = ["commissioning_body", "local_authority"]


class ChildPopulationInline(admin.TabularInline):
    model = ChildPopulation
    extra = 0


@admin.register(CommissioningBody)
class CommissioningBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "ods_code", "kind", "active_from", "active_to"]
    list_filter = ["kind", ("active_to", admin.EmptyFieldListFilter)]
    search_fields = ["name", "ods_code"]
    autocomplete_fields = ["predecessors"]
    inlines = [CommissioningLinkInline]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code"]
    search_fields = ["name", "gss_code"]
    list_filter = ["links__commissioning_body"]
    inlines = [ChildPopulationInline, CommissioningLinkInline]


@admin.register(CommissioningLink)
class CommissioningLinkAdmin(admin.ModelAdmin):
    list_display = ["local_authority", "commissioning_body", "valid_from", "valid_to"]
    list_filter = ["commissioning_body", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["local_authority__name", "commissioning_body__name"]
    autocomplete_fields = ["commissioning_body", "local_authority"]


@admin.register(ChildPopulation)
class ChildPopulationAdmin(admin.ModelAdmin):
    list_display = ["local_authority", "year", "aged_0_17", "aged_0_25"]
    list_filter = ["year"]
    search_fields = ["local_authority__name", "local_authority__gss_code"]
    autocomplete_fields = ["local_authority"]


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0
    fields = ["name", "service_type", "contact_email", "is_active"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "ods_code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "ods_code"]
    inlines = [ServiceInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "service_type", "contact_email", "is_active"]
    list_filter = ["service_type", "is_active", "provider"]
    search_fields = ["name", "provider__name", "provider__ods_code"]
    autocomplete_fields = ["provider", "local_authorities"]
