"""bimtek tables: sessions, their target bodies, speakers, materials and participants

Revision ID: bimtek_0001
Revises:
Create Date: 2026-12-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bimtek_0001'
down_revision = None
branch_labels = ('bimtek',)
depends_on = "0004"  # regency, regions, team_member, document, user_account


def upgrade():
    op.create_table('bimtek_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('topic', sa.String(length=500), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('mode', sa.Enum('luring', 'daring', name='mode', native_enum=False, length=32), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=True),
    sa.Column('online_link', sa.String(length=300), nullable=True),
    sa.Column('expected_participants', sa.Integer(), nullable=True),
    sa.Column('invitation_number', sa.String(length=100), nullable=True),
    sa.Column('invitation_date', sa.Date(), nullable=True),
    sa.Column('invitation_document_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('direncanakan', 'terlaksana', 'dibatalkan', name='sessionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('regency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_bimtek_session_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['invitation_document_id'], ['document.id'], name=op.f('fk_bimtek_session_invitation_document_id_document')),
    sa.ForeignKeyConstraint(['regency_id'], ['regency.id'], name=op.f('fk_bimtek_session_regency_id_regency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bimtek_session'))
    )
    with op.batch_alter_table('bimtek_session', schema=None) as batch_op:
        batch_op.create_index('ix_bimtek_session_list', ['regency_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_bimtek_session_regency_id'), ['regency_id'], unique=False)
        batch_op.create_index('ix_bimtek_session_status', ['regency_id', 'status', 'starts_at'], unique=False)

    op.create_table('bimtek_material',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('regency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_bimtek_material_document_id_document')),
    sa.ForeignKeyConstraint(['regency_id'], ['regency.id'], name=op.f('fk_bimtek_material_regency_id_regency')),
    sa.ForeignKeyConstraint(['session_id'], ['bimtek_session.id'], name=op.f('fk_bimtek_material_session_id_bimtek_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bimtek_material'))
    )
    with op.batch_alter_table('bimtek_material', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bimtek_material_regency_id'), ['regency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bimtek_material_session_id'), ['session_id'], unique=False)

    op.create_table('bimtek_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.Enum('ppk', 'pps', 'kpps', name='level', native_enum=False, length=32), nullable=False),
    sa.Column('kecamatan_id', sa.Integer(), nullable=False),
    sa.Column('desa_id', sa.Integer(), nullable=True),
    sa.Column('tps_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Enum('ketua', 'anggota', 'sekretaris', 'staf', 'lainnya', name='position', native_enum=False, length=32), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.Column('pre_score', sa.Integer(), nullable=True),
    sa.Column('post_score', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('regency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['desa_id'], ['desa.id'], name=op.f('fk_bimtek_participant_desa_id_desa')),
    sa.ForeignKeyConstraint(['kecamatan_id'], ['kecamatan.id'], name=op.f('fk_bimtek_participant_kecamatan_id_kecamatan')),
    sa.ForeignKeyConstraint(['regency_id'], ['regency.id'], name=op.f('fk_bimtek_participant_regency_id_regency')),
    sa.ForeignKeyConstraint(['session_id'], ['bimtek_session.id'], name=op.f('fk_bimtek_participant_session_id_bimtek_session')),
    sa.ForeignKeyConstraint(['tps_id'], ['tps.id'], name=op.f('fk_bimtek_participant_tps_id_tps')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bimtek_participant'))
    )
    with op.batch_alter_table('bimtek_participant', schema=None) as batch_op:
        batch_op.create_index('ix_bimtek_participant_reach', ['regency_id', 'attended', 'level', 'kecamatan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bimtek_participant_regency_id'), ['regency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bimtek_participant_session_id'), ['session_id'], unique=False)

    op.create_table('bimtek_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('ppk', 'pps', 'kpps', name='level', native_enum=False, length=32), nullable=False),
    sa.Column('kecamatan_id', sa.Integer(), nullable=False),
    sa.Column('desa_id', sa.Integer(), nullable=True),
    sa.Column('tps_id', sa.Integer(), nullable=True),
    sa.Column('regency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['desa_id'], ['desa.id'], name=op.f('fk_bimtek_target_desa_id_desa')),
    sa.ForeignKeyConstraint(['kecamatan_id'], ['kecamatan.id'], name=op.f('fk_bimtek_target_kecamatan_id_kecamatan')),
    sa.ForeignKeyConstraint(['regency_id'], ['regency.id'], name=op.f('fk_bimtek_target_regency_id_regency')),
    sa.ForeignKeyConstraint(['session_id'], ['bimtek_session.id'], name=op.f('fk_bimtek_target_session_id_bimtek_session')),
    sa.ForeignKeyConstraint(['tps_id'], ['tps.id'], name=op.f('fk_bimtek_target_tps_id_tps')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bimtek_target'))
    )
    with op.batch_alter_table('bimtek_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bimtek_target_regency_id'), ['regency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bimtek_target_session_id'), ['session_id'], unique=False)

    op.create_table('bimtek_speaker',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('team_member_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('institution', sa.String(length=200), nullable=True),
    sa.Column('regency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['regency_id'], ['regency.id'], name=op.f('fk_bimtek_speaker_regency_id_regency')),
    sa.ForeignKeyConstraint(['session_id'], ['bimtek_session.id'], name=op.f('fk_bimtek_speaker_session_id_bimtek_session')),
    sa.ForeignKeyConstraint(['team_member_id'], ['team_member.id'], name=op.f('fk_bimtek_speaker_team_member_id_team_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bimtek_speaker'))
    )
    with op.batch_alter_table('bimtek_speaker', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bimtek_speaker_regency_id'), ['regency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bimtek_speaker_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('bimtek_speaker', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bimtek_speaker_session_id'))
        batch_op.drop_index(batch_op.f('ix_bimtek_speaker_regency_id'))

    op.drop_table('bimtek_speaker')
    with op.batch_alter_table('bimtek_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bimtek_target_session_id'))
        batch_op.drop_index(batch_op.f('ix_bimtek_target_regency_id'))

    op.drop_table('bimtek_target')
    with op.batch_alter_table('bimtek_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bimtek_participant_session_id'))
        batch_op.drop_index(batch_op.f('ix_bimtek_participant_regency_id'))
        batch_op.drop_index('ix_bimtek_participant_reach')

    op.drop_table('bimtek_participant')
    with op.batch_alter_table('bimtek_material', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bimtek_material_session_id'))
        batch_op.drop_index(batch_op.f('ix_bimtek_material_regency_id'))

    op.drop_table('bimtek_material')
    with op.batch_alter_table('bimtek_session', schema=None) as batch_op:
        batch_op.drop_index('ix_bimtek_session_status')
        batch_op.drop_index(batch_op.f('ix_bimtek_session_regency_id'))
        batch_op.drop_index('ix_bimtek_session_list')

    op.drop_table('bimtek_session')
