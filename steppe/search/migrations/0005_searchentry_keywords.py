from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("search", "0004_drop_unaccent")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="keywords",
            field=models.TextField(blank=True),
        ),
    ]
