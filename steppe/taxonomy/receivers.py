from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Country, Region, Theme
from .selectors import navigation_invalidate


@receiver(post_save, sender=Country, dispatch_uid="taxonomy.country_saved")
@receiver(post_save, sender=Region, dispatch_uid="taxonomy.region_saved")
@receiver(post_save, sender=Theme, dispatch_uid="taxonomy.theme_saved")
@receiver(post_delete, sender=Country, dispatch_uid="taxonomy.country_deleted")
@receiver(post_delete, sender=Region, dispatch_uid="taxonomy.region_deleted")
@receiver(post_delete, sender=Theme, dispatch_uid="taxonomy.theme_deleted")
def taxonomy_changed(sender, **kwargs) -> None:
    navigation_invalidate()
