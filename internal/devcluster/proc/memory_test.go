package proc

import (
	"os"
	"path/filepath"
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

	// A process that holds 64 MiB it has written to.
	p, err := Start("holder", filepath.Join(t.TempDir(), "holder.log"), "python3", "-c",
		"import sys, time; b = bytearray(64 << 20); print('ready', flush=True); time.sleep(60)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Stop(time.Second) })
	deadline := time.Now().Add(20 * time.Second)
	for {
		data, _ := os.ReadFile(p.Log)
		if string(data) == "ready\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("holder not ready: %q %v", data, p.Exited())
		}
		time.Sleep(20 * time.Millisecond)
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
