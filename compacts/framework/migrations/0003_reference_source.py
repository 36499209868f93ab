from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('framework', '0002_gcm_gcr_sdg_mptf_codelists'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReferenceSource',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('name', models.SlugField(max_length=60, unique=True)),
                ('checksum', models.CharField(blank=True, max_length=64)),
                ('counts', models.JSONField(blank=True, default=dict)),
                ('loaded_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
    ]
