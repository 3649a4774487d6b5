"""The squash of ``signing``'s migrations ``0001`` to ``0002_obligations_renewals``:
the schema the old files build, written from their final state: every model of the
app created with its final fields, options, indexes and constraints, in one
``CreateModels`` (the project rendered once: ``yanzhen.core.migration_operations``).
It replaces every old migration of every app (``_replaced.REPLACED`` in ``core``), so
Django runs it on a new database, marks it applied on a fully migrated one and runs
the old files on anything in between.

The old files only create and change tables: nothing else to keep.
"""

import django.db.models.deletion
import django.utils.timezone
import yanzhen.signing.models
from django.conf import settings
from django.db import migrations, models

from yanzhen.core.migration_operations import CreateModels
from yanzhen.core.migrations._replaced import REPLACED


class Migration(migrations.Migration):

    initial = True

    replaces = REPLACED

    dependencies = [
        ('cooperation', '0001_squashed_0016_purged_with_the_cooperation'),
        ('core', '0001_squashed_0021_import_job'),
        ('supervision', '0001_squashed_0005_report_review'),
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name='Agreement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('code', models.CharField(max_length=30, unique=True, verbose_name='协议编号')),
                        ('kind', models.CharField(choices=[('framework', '框架协议'), ('project', '项目协议'), ('personnel', '人才协议')], max_length=20, verbose_name='协议类型')),
                        ('title', models.CharField(max_length=200, verbose_name='协议名称')),
                        ('state', models.CharField(choices=[('draft', '起草中'), ('signing', '签署中'), ('signed', '已签署')], default='draft', max_length=20, verbose_name='状态')),
                        ('starts_on', models.DateField(verbose_name='起始日期')),
                        ('expires_on', models.DateField(verbose_name='到期日期')),
                        ('pdf', models.FileField(blank=True, upload_to=yanzhen.signing.models._pdf_path, verbose_name='协议PDF')),
                        ('pdf_sha256', models.CharField(blank=True, max_length=64, verbose_name='PDF摘要')),
                        ('signed_at', models.DateTimeField(blank=True, null=True, verbose_name='签署完成时间')),
                        ('cooperation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agreements', to='cooperation.cooperation', verbose_name='所属合作')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('ceremony', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='agreements', to='signing.ceremony', verbose_name='集中云签约')),
                        ('renews', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='renewals', to='signing.agreement', verbose_name='续签自')),
                    ],
                    options={
                        'verbose_name': '协议',
                        'verbose_name_plural': '协议',
                        'ordering': ['-id'],
                        'permissions': [('sign_agreement', '签署协议'), ('export_agreement', '导出协议台账')],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='AgreementParty',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(verbose_name='顺序')),
                        ('signed_at', models.DateTimeField(blank=True, null=True, verbose_name='签署时间')),
                        ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='parties', to='signing.agreement')),
                        ('signer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='授权签署人')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='core.unit', verbose_name='签约单位')),
                        ('certificate', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='signing.organisationcertificate', verbose_name='签名证书')),
                    ],
                    options={
                        'verbose_name': '签约方',
                        'verbose_name_plural': '签约方',
                        'ordering': ['agreement', 'position'],
                        'constraints': [models.UniqueConstraint(fields=('agreement', 'unit'), name='agreement_party_once')],
                        'indexes': [],
                    },
                ),
                migrations.CreateModel(
                    name='AgreementVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveIntegerField(verbose_name='版本号')),
                        ('content', models.TextField(verbose_name='协议正文')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='修改说明')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='signing.agreement')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                    ],
                    options={
                        'verbose_name': '协议版本',
                        'verbose_name_plural': '协议版本',
                        'ordering': ['agreement', 'number'],
                        'constraints': [models.UniqueConstraint(fields=('agreement', 'number'), name='agreement_version_once')],
                        'indexes': [],
                    },
                ),
                migrations.CreateModel(
                    name='Authority',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='名称')),
                        ('certificate', models.TextField(verbose_name='根证书（PEM）')),
                        ('key', models.TextField(verbose_name='根私钥（加密）')),
                        ('tsa_certificate', models.TextField(verbose_name='时间戳证书（PEM）')),
                        ('tsa_key', models.TextField(verbose_name='时间戳私钥（加密）')),
                        ('crl', models.BinaryField(verbose_name='证书吊销列表（DER）')),
                        ('crl_number', models.PositiveIntegerField(default=1, verbose_name='吊销列表序号')),
                        ('crl_updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='吊销列表更新时间')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                    ],
                    options={
                        'verbose_name': '平台证书机构',
                        'verbose_name_plural': '平台证书机构',
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Ceremony',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('title', models.CharField(max_length=200, verbose_name='活动名称')),
                        ('held_on', models.DateField(verbose_name='活动日期')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('owner_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='core.unit', verbose_name='主办单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '集中云签约',
                        'verbose_name_plural': '集中云签约',
                        'ordering': ['-held_on', '-id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Obligation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=150, verbose_name='义务内容')),
                        ('due_date', models.DateField(verbose_name='完成时限')),
                        ('deliverable', models.CharField(blank=True, max_length=200, verbose_name='预期成果')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='obligations', to='signing.agreement')),
                        ('milestone', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='obligation', to='supervision.milestone', verbose_name='督办节点任务')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='责任方')),
                    ],
                    options={
                        'verbose_name': '协议义务',
                        'verbose_name_plural': '协议义务',
                        'ordering': ['agreement', 'due_date', 'id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='OrganisationCertificate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('serial', models.CharField(max_length=40, unique=True, verbose_name='序列号')),
                        ('certificate', models.TextField(verbose_name='证书（PEM）')),
                        ('key', models.TextField(verbose_name='私钥（加密）')),
                        ('not_before', models.DateTimeField(verbose_name='生效时间')),
                        ('not_after', models.DateTimeField(verbose_name='失效时间')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='吊销时间')),
                        ('revocation_reason', models.CharField(blank=True, max_length=200, verbose_name='吊销原因')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signing_certificates', to='core.unit', verbose_name='单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '单位签名证书',
                        'verbose_name_plural': '单位签名证书',
                        'ordering': ['-id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Seal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('image', models.FileField(upload_to=yanzhen.signing.models._seal_path, verbose_name='印章图片')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('unit', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, to='core.unit', verbose_name='单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '电子印章',
                        'verbose_name_plural': '电子印章',
                        'indexes': [],
                        'constraints': [],
                    },
                ),

            ]
        ),
    ]
