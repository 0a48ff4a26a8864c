/** The header's who-is-signed-in: name, role, institution, an offline badge, lock and sign-out. */
import { Button, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from './SessionProvider.tsx';

export function UserMenu() {
  const { t } = useTranslation();
  const { state, lock, logout } = useSession();
  if (state.status !== 'signed-in') return null;
  const { user } = state;
  return (
    <div className="user-menu" data-testid="user-menu" data-role={user.role}>
      <span className="user-name">
        {user.displayName}（{t(`session.roles.${user.role}`)}）· {user.institution.name}
      </span>
      {user.offline && (
        <Tag color="warning" className="badge-offline" title={t('session.offlineExplained')}>
          {t('session.offlineBadge')}
        </Tag>
      )}
      <Button size="small" ghost onClick={lock}>
        {t('session.lock')}
      </Button>
      <Button size="small" ghost onClick={() => void logout()}>
        {t('session.signOut')}
      </Button>
    </div>
  );
}
