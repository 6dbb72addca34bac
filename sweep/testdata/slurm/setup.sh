#!/usr/bin/env bash
# Writes everything a throw-away single-node SLURM cluster on 127.0.0.1 needs
# into DIR: a munge key, folders with the permissions munged demands, and a
# slurm.conf. It starts nothing; the commands that start the daemons (in the
# foreground, so that whoever starts them knows their PIDs) are printed, one
# per line, for the caller to run:
#
#   sweep/testdata/slurm/setup.sh /tmp/slurm [CTLD_PORT SLURMD_PORT]
#
# Needs Debian's slurm-wlm and munge, root, and `hostname -s` resolving to
# 127.0.0.1. The integration test in sweep/slurm_integration_test.go uses it.
set -euo pipefail
dir=$(realpath -m "${1:?usage: setup.sh DIR [CTLD_PORT SLURMD_PORT]}")
ctld_port=${2:-16817}
slurmd_port=${3:-16818}
host=$(hostname -s)
cpus=$(nproc)

mkdir -p "$dir"/{munge/key,munge/run,munge/log,munge/lib,state,spool,log,run}
# munged refuses keys and sockets in folders that others can write to.
chmod 0700 "$dir/munge/key" "$dir/munge/lib" "$dir/munge/log"
chmod 0755 "$dir" "$dir/munge" "$dir/munge/run"
if [ ! -f "$dir/munge/key/munge.key" ]; then
	dd if=/dev/urandom of="$dir/munge/key/munge.key" bs=1024 count=1 status=none
fi
chmod 0400 "$dir/munge/key/munge.key"

cat > "$dir/slurm.conf" <<CONF
ClusterName=adamgap-test
SlurmctldHost=$host
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/run/munge.socket
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
# No cgroups, no accounting: nothing outside DIR is needed.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# Schedule at once (a 4-task array takes about 2 s instead of a minute).
SchedulerParameters=bf_interval=1,batch_sched_delay=0,sched_min_interval=100000
# A dependency that can never be met (a failed task) cancels the dependant.
DependencyParameters=kill_invalid_depend
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

echo "munged --foreground --force --key-file=$dir/munge/key/munge.key --socket=$dir/munge/run/munge.socket --pid-file=$dir/munge/run/munged.pid --log-file=$dir/munge/log/munged.log --seed-file=$dir/munge/lib/munged.seed"
echo "slurmctld -D -i -f $dir/slurm.conf"
echo "slurmd -D -f $dir/slurm.conf"
