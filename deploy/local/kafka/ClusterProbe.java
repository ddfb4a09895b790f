// Waits until the local cluster is really usable, not just listening: every broker registered, a replicated
// probe topic fully in sync, and the consumer group coordinator serving. Run with the broker jars on the class path
// (java's single-file source launcher):
//   java -cp '<libs>/*' ClusterProbe.java <bootstrap> <brokers> <timeout-seconds> [probe-topic]
// Exit 0 when ready, 1 with the reason on stderr when the deadline passes.
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

public final class ClusterProbe {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ClusterProbe <bootstrap> <brokers> <timeout-seconds> [probe-topic]");
            System.exit(2);
        }
        String bootstrap = args[0];
        int brokers = Integer.parseInt(args[1]);
        Instant deadline = Instant.now().plusSeconds(Long.parseLong(args[2]));
        String topic = args.length > 3 ? args[3] : "_kok_probe";

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        String last = "no answer from " + bootstrap;
        Admin admin = null;
        try {
            while (Instant.now().isBefore(deadline)) {
                // A failed call may have been the admin client's own network thread dying (it exits on a protocol
                // error while a node starts): every attempt after a failure gets a new client.
                if (admin == null) admin = Admin.create(props);
                try {
                    int registered = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                    if (registered < brokers) {
                        last = registered + " of " + brokers + " brokers registered";
                    } else {
                        createIfMissing(admin, topic, (short) brokers);
                        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                                .get(5, TimeUnit.SECONDS).get(topic);
                        int isr = d.partitions().get(0).isr().size();
                        if (isr < brokers) {
                            last = "probe topic " + topic + " has " + isr + " of " + brokers + " replicas in sync";
                        } else {
                            // The first group request of a new cluster creates __consumer_offsets; until its
                            // partitions are loaded every consumer group answers "not coordinator". Wait that out
                            // here, so the first consumer of the cluster does not meet it. The group asked about is
                            // the probe's own, named like its topic, and never has members.
                            admin.listConsumerGroupOffsets(topic).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
                            System.out.println("ready: " + registered + " brokers, probe topic " + topic + " ISR " + isr
                                    + ", group coordinator ready");
                            return;
                        }
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    last = cause.getClass().getSimpleName() + ": " + cause.getMessage();
                    admin.close(Duration.ZERO);
                    admin = null;
                }
                Thread.sleep(500);
            }
        } finally {
            if (admin != null) admin.close();
        }
        System.err.println("not ready: " + last);
        System.exit(1);
    }

    private static void createIfMissing(Admin admin, String topic, short rf) throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(topic, 1, rf).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) throw e;
        }
    }
}
