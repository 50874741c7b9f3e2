package proc

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestRSSOfARunningProcess(t *testing.T) {
	self, err := ReadStatus(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if self.Name != filepath.Base(os.Args[0])[:min(15, len(filepath.Base(os.Args[0])))] || self.RSS < 1<<20 {
		t.Errorf("this test process reads as %+v", self)
	}

	// A process that holds 64 MiB it has written to, and says so through a
	// FIFO: opening it for reading returns once the holder opens it.
	ready := filepath.Join(t.TempDir(), "ready")
	if err := syscall.Mkfifo(ready, 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := Start("holder", filepath.Join(t.TempDir(), "holder.log"), "python3", "-c",
		"import sys, time; b = bytearray(64 << 20); open(sys.argv[1], 'w').close(); time.sleep(60)", ready)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Stop(time.Second) })
	said := make(chan error, 1)
	go func() {
		f, err := os.Open(ready)
		if err == nil {
			_, err = io.ReadAll(f)
			_ = f.Close()
		}
		said <- err
	}()
	select {
	case err := <-said:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("the holder never said it was ready: %v", p.Exited())
	}
	rss, err := RSS([]*Process{p})
	if err != nil {
		t.Fatal(err)
	}
	if rss < 64<<20 || rss > 256<<20 {
		t.Errorf("RSS of a process holding 64 MiB: %d MiB", rss>>20)
	}
	all, err := Processes()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range all {
		found = found || (s.Pid == p.Pid() && s.Name == "python3")
	}
	if !found {
		t.Errorf("Processes() does not list the holder (pid %d) as python3", p.Pid())
	}
}
