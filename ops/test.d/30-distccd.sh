# Two real distccd farm hosts on loopback (ops/lib/distccd.sh).
# BUILDER_TEST_DISTCCD: "127.0.0.1:PORT1,127.0.0.1:PORT2"; their logs: $BUILDER_TEST_DISTCCD_LOGS/{farm1,farm2}.log
# Both run every job in the per-job sandbox (ops/farm/builder-farm-cc); BUILDER_TEST_FARM_CC_PATH is the wrapper's
# symlink directory, for the distccd processes tests start themselves.
. ops/lib/distccd.sh
_d=$BUILDER_TEST_WORK/distccd
distccd_start "$_d" farm1 2; _p1=$DISTCCD_PORT
distccd_start "$_d" farm2 2; _p2=$DISTCCD_PORT
export BUILDER_TEST_DISTCCD="127.0.0.1:$_p1,127.0.0.1:$_p2" BUILDER_TEST_DISTCCD_LOGS=$_d BUILDER_TEST_FARM_CC_PATH=$FARM_CC_PATH
say "distccd farm hosts on 127.0.0.1:$_p1 and 127.0.0.1:$_p2"
