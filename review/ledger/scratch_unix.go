//go:build unix

package ledger

import (
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// detach runs a signing program in a session of its own, with no
// controlling terminal: it can never prompt over the TUI or read keys
// meant for it; a passphrase it needs is asked of ssh-agent or askpass.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}

// onSignal runs cleanup when SIGINT, SIGTERM or SIGHUP arrives, then
// delivers the signal again with this handler gone, so that the program's
// own handling, or the default (exit), happens as if it had not been here;
// raised is closed once it has been delivered again.
func onSignal(cleanup func(os.Signal)) (stop func(), raised <-chan struct{}) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	again := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			cleanup(sig)
			signal.Stop(ch)
			if s, ok := sig.(syscall.Signal); ok {
				syscall.Kill(os.Getpid(), s)
			}
			close(again)
		case <-done:
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
		})
	}, again
}

// sweepScratch removes this user's signing directories whose process is
// gone: SIGKILL leaves no chance to clean up, so the next signing does.
func sweepScratch() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), scratchPrefix+"*"))
	for _, dir := range dirs {
		pidText, _, ok := strings.Cut(strings.TrimPrefix(filepath.Base(dir), scratchPrefix), "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		fi, err := os.Lstat(dir)
		if err != nil || !fi.IsDir() {
			continue
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); !ok || int(st.Uid) != os.Getuid() {
			continue
		}
		if syscall.Kill(pid, 0) == syscall.ESRCH {
			os.RemoveAll(dir)
		}
	}
}
