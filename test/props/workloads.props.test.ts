/**
 * The property tests, in two files so jest's two workers each load the library once: a test file
 * costs about 2.5 s of CPU to load cdk8s, the k8s imports and lib/ into a fresh module registry,
 * more than most properties take to run. Each module registers its own describe block.
 */
import './store-connect.property';
import './web-app.property';
import './batch-job.property';
import './scheduled-job.property';
import './nfs-storage.property';
