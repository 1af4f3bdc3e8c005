from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import french
from portal.enums import TerritoryArticle, TerritoryKind
from portal.validators import validate_brand_colour, validate_domain, validate_territory_slug


class Territory(models.Model):
    """The tenant: an intercommunalité or a département that runs a health programme."""

    slug = models.SlugField(
        _("identifiant d'adresse"), unique=True, max_length=60, validators=[validate_territory_slug]
    )
    name = models.CharField(_("nom"), max_length=200)
    article = models.CharField(
        _("article du nom"),
        max_length=3,
        choices=TerritoryArticle.choices,
        blank=True,
        default=TerritoryArticle.LA,
        help_text=_(
            "Pour écrire « le guichet unique de la Communauté… », « du Département… », « de l'Agglomération… » "
            "dans les pages et les e-mails."
        ),
    )
    kind = models.CharField(_("type"), max_length=20, choices=TerritoryKind.choices)
    region = models.CharField(_("région"), max_length=100)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    contact_email = models.EmailField(_("e-mail du guichet"))
    contact_phone = models.CharField(_("téléphone du guichet"), max_length=30, blank=True)
    presentation = models.TextField(_("présentation"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="territories/logos/", blank=True)
    main_colour = models.CharField(
        _("couleur principale"), max_length=7, default="#1d4f91", validators=[validate_brand_colour]
    )
    is_active = models.BooleanField(_("actif"), default=True)
    # NULL, not "", when unused: the unique constraint leaves territories without one alone.
    domain = models.CharField(
        _("nom de domaine propre"),
        max_length=253,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_domain],
        help_text=_(
            "Facultatif : l'adresse où le territoire sert son site à la racine (par exemple sante.agglo-agen.fr). "
            "Le nom doit pointer vers le portail ; il est accepté dès l'enregistrement."
        ),
    )
    communes = models.ManyToManyField(
        "portal.Commune", verbose_name=_("communes couvertes"), related_name="territories", blank=True
    )

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:territory_home", kwargs={"territory_slug": self.slug})

    def clean_fields(self, exclude=None):
        # "Santé.Agen.fr." and "" are written as people type them: stored lower case, or NULL.
        self.domain = (self.domain or "").strip().lower().rstrip(".") or None
        super().clean_fields(exclude=exclude)

    @property
    def name_with_article(self) -> str:
        """ "la Communauté d'agglomération du Cotentin", "l'Agglomération d'Agen"."""
        return french.with_article(self.name, self.article)

    @property
    def of_name(self) -> str:
        """ "de la Communauté…", "du Département des Deux-Sèvres", "de l'Agglomération d'Agen"."""
        return french.of(self.name, self.article)

    @property
    def to_name(self) -> str:
        """ "à la Communauté…", "au Département des Deux-Sèvres", "à l'Agglomération d'Agen"."""
        return french.to(self.name, self.article)
