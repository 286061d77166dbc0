package dev.runbook.ssh;

import com.jcraft.jsch.UIKeyboardInteractive;
import com.jcraft.jsch.UserInfo;

/**
 * Answers a server's password questions, and nothing else: a keyboard-interactive password
 * prompt (what PAM-based servers ask instead of "password" authentication) gets the password
 * once; any yes/no question is answered no, so nothing is ever accepted on the user's behalf.
 */
final class PasswordAnswers implements UserInfo, UIKeyboardInteractive {
    private final String password;
    private boolean answered;

    PasswordAnswers(String password) {
        this.password = password;
    }

    @Override
    public String[] promptKeyboardInteractive(String destination, String name, String instruction, String[] prompt, boolean[] echo) {
        if (prompt.length == 0) {
            return new String[0];
        }
        if (password == null || answered || prompt.length != 1 || echo[0]) {
            return null;
        }
        answered = true;
        return new String[] {password};
    }

    @Override
    public String getPassphrase() {
        return null;
    }

    @Override
    public String getPassword() {
        return password;
    }

    /**
     * No: JSch tries the session's password first by itself, and asking again would only send
     * the same wrong password until the server hangs up (MaxAuthTries).
     */
    @Override
    public boolean promptPassword(String message) {
        return false;
    }

    @Override
    public boolean promptPassphrase(String message) {
        return false;
    }

    @Override
    public boolean promptYesNo(String message) {
        return false;
    }

    @Override
    public void showMessage(String message) {
    }
}
