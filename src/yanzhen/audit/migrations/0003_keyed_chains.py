"""The three logs become keyed hash chains (HMAC-SHA256, the key outside the database).

Rows already written keep what they have (the security log its plain SHA-256 chain, the access
and export logs nothing): the genesis checkpoint, signed here with the audit key's Ed25519 key,
records the id and plain link of the last of them in each log, and the first keyed row of each
log chains from its digest (see ``yanzhen.audit.chain``).
"""

import django.utils.timezone
from django.core.management.color import no_style
from django.db import migrations, models

ZERO = "0" * 64


def start_keyed_chains(apps, schema_editor):
    # The chain and key code of the app itself: the genesis must be what the verifier expects.
    from yanzhen.audit import chain

    Head = apps.get_model("audit", "ChainHead")
    Checkpoint = apps.get_model("audit", "Checkpoint")
    models_by_chain = {
        "security": apps.get_model("audit", "SecurityEvent"),
        "access": apps.get_model("audit", "AccessLog"),
        "export": apps.get_model("audit", "ExportLog"),
    }
    security = Head.objects.order_by("pk").first() or Head(chain="security")
    security.chain = "security"
    heads = {"security": security}
    early = {}
    last = models_by_chain["security"].objects.order_by("-pk").values_list("pk", flat=True).first()
    if last is not None:
        early["security"] = (max(last, security.purged_through), security.last_hash)
    else:
        purged = security.purged_through
        early["security"] = (purged, security.anchor_hash if purged else ZERO)
    for name in ("access", "export"):
        heads[name] = Head(chain=name)
        link, through = ZERO, 0
        for row in models_by_chain[name].objects.order_by("pk").iterator(chunk_size=2000):
            link, through = chain.plain_link(name, row, link), row.pk
        early[name] = (through, link)
    states = {
        name: {
            "legacy_through": through,
            "legacy_hash": link,
            "last_id": through,
            "last_hash": link,
            "purged_through": heads[name].purged_through,
            "anchor_hash": heads[name].anchor_hash,
        }
        for name, (through, link) in early.items()
    }
    signed = chain.sign(chain.checkpoint_body(number=1, kind="genesis", previous="", chains=states))
    Checkpoint.objects.create(
        number=1, kind="genesis", body=signed.body, signature=signed.signature, digest=signed.digest
    )
    # The old head was created with an explicit pk (1), which a PostgreSQL sequence never
    # saw: number the new heads explicitly, then set the sequence past them.
    next_pk = max([h.pk for h in heads.values() if h.pk is not None], default=0) + 1
    for name, head in heads.items():
        if head.pk is None:
            head.pk, next_pk = next_pk, next_pk + 1
        through = early[name][0]
        head.last_id = through
        head.last_hash = signed.digest
        if head.purged_through and head.purged_through >= through:
            head.anchor_hash = signed.digest  # nothing early is left: the next row chains on
        chain.seal_head(head)
        head.save()
    checkpoints = Head(pk=next_pk, chain="checkpoint", last_id=1, last_hash=signed.digest)
    chain.seal_head(checkpoints)
    checkpoints.save(force_insert=True)
    connection = schema_editor.connection
    for sql in connection.ops.sequence_reset_sql(no_style(), [Head]):
        schema_editor.execute(sql, None)


def drop_new_heads(apps, schema_editor):
    """Back to one head (the security log's; its rows since then are keyed, which the old
    verifier cannot check)."""
    apps.get_model("audit", "ChainHead").objects.exclude(chain="security").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only'),
    ]

    operations = [
        migrations.CreateModel(
            name='Checkpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.IntegerField(unique=True, verbose_name='序号')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
                ('kind', models.CharField(choices=[('genesis', '起点'), ('periodic', '定期')], max_length=10, verbose_name='类型')),
                ('body', models.TextField(verbose_name='内容')),
                ('signature', models.CharField(max_length=100, verbose_name='签名')),
                ('digest', models.CharField(max_length=64, unique=True, verbose_name='摘要')),
            ],
            options={
                'verbose_name': '日志检查点',
                'verbose_name_plural': '日志检查点',
                'ordering': ['-number'],
            },
        ),
        migrations.AddField(
            model_name='accesslog',
            name='hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='accesslog',
            name='prev_hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='chainhead',
            name='chain',
            field=models.CharField(choices=[('security', '安全日志'), ('access', '个人信息访问日志'), ('export', '导出记录'), ('checkpoint', '检查点')], default='security', max_length=20, unique=True),
        ),
        migrations.AddField(
            model_name='chainhead',
            name='last_id',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='chainhead',
            name='mac',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='exportlog',
            name='hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='exportlog',
            name='prev_hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name='securityevent',
            name='kind',
            field=models.CharField(choices=[('login', '登录成功'), ('login_failed', '登录失败'), ('logout', '退出登录'), ('lockout', '账户锁定'), ('unlock', '解除锁定'), ('password_change', '修改密码'), ('password_reset', '重置密码'), ('otp_failed', '动态口令错误'), ('otp_lockout', '动态口令锁定'), ('otp_enrolled', '绑定动态口令'), ('role_change', '角色或权限变更'), ('user_change', '账户变更'), ('permission_denied', '越权访问被拒绝'), ('export', '导出数据'), ('import', '导入数据'), ('backup', '备份'), ('restore', '恢复'), ('purge', '清理过期日志'), ('session_expired', '会话超时'), ('admin_change', '后台管理变更'), ('checkpoint', '日志检查点'), ('audit_alert', '日志校验失败')], db_index=True, max_length=30, verbose_name='事件'),
        ),
        migrations.CreateModel(
            name='DeniedWindow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('actor', models.CharField(max_length=200)),
                ('route', models.CharField(max_length=300)),
                ('started_at', models.DateTimeField()),
                ('last_at', models.DateTimeField()),
                ('suppressed', models.IntegerField(default=0)),
                ('username', models.CharField(blank=True, max_length=150)),
                ('user_id_value', models.BigIntegerField(blank=True, null=True)),
                ('ip', models.CharField(blank=True, max_length=45)),
                ('path', models.CharField(blank=True, max_length=300)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('actor', 'route'), name='audit_denied_window_once')],
            },
        ),
        migrations.RunPython(start_keyed_chains, drop_new_heads),
    ]
